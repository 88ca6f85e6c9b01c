package dev.asyncdrop.test.layout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps the project's promise of one job per class: no main source file of any module grows past 400 lines. A
 * class that does is doing several jobs; split one out rather than raise the limit.
 */
class SourceFileSizeTests {

    private static final int MAX_LINES = 400;

    private static final List<Path> MAIN_SOURCES = Stream
        .of("core", "autoconfigure", "test", "sample-app", "benchmarks", "compat/smoke")
        .map((module) -> Path.of("..").resolve(module).resolve(Path.of("src", "main", "java")))
        .toList();

    @Test
    void noMainSourceFileIsLongerThanFourHundredLines() throws IOException {
        Map<String, Integer> tooLong = new TreeMap<>();
        for (Path sources : MAIN_SOURCES) {
            assertThat(sources).as("the main sources of a module").isDirectory();
            try (Stream<Path> files = Files.walk(sources)) {
                files.filter((file) -> file.toString().endsWith(".java")).forEach((file) -> {
                    int lines = lineCount(file);
                    if (lines > MAX_LINES) {
                        tooLong.put(file.normalize().toString(), lines);
                    }
                });
            }
        }
        assertThat(tooLong).as("main source files over %d lines: give each a single job by moving one out", MAX_LINES)
            .isEmpty();
    }

    private static int lineCount(Path file) {
        try {
            return Files.readAllLines(file).size();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
