package dev.asyncdrop.test.readme;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps the README's Java examples true: every {@code ```java} block of {@code README.md} must appear word for word
 * (its indentation aside) in a source file of this package or below it, or of the Spring module's test package
 * {@code readme}, where it compiles against the published modules and a test runs it. A block that is in no such
 * file fails here, naming its line and section.
 * <p>
 * This module is the one that can: it depends on core and the Spring integration, and its tests run with the
 * repository root as the parent of their working directory.
 */
class ReadmeSnippetTests {

    private static final Path README = Path.of("..", "README.md");

    // This module's examples, and the Spring module's, whose tests have the JDBC and executor parts "Your pools" uses.
    private static final List<Path> SOURCES = List.of(
            Path.of("src", "test", "java", "dev", "asyncdrop", "test", "readme"),
            Path.of("..", "autoconfigure", "src", "test", "java", "dev", "asyncdrop", "spring", "autoconfigure",
                    "readme"));

    private static final String FENCE = "```";

    @TestFactory
    Stream<DynamicTest> everyJavaBlockOfTheReadmeIsInASourceThatCompilesAndRuns() throws IOException {
        List<List<String>> sources = sources();
        return snippets(lines(README)).stream().map(snippet -> DynamicTest.dynamicTest(snippet.toString(), () -> {
            assertThat(sources.stream().anyMatch(source -> contains(source, snippet.lines())))
                .as("The java block at %s is in no source under %s. Copy it there word for word (indent it as "
                        + "you like), where it compiles, with a test that runs it; or change the README back to "
                        + "the source. The block:%n%s", snippet, SOURCES, String.join("\n", snippet.lines()))
                .isTrue();
        }));
    }

    @Test
    void theReadmeHasJavaBlocksToCheck() throws IOException {
        assertThat(snippets(lines(README))).isNotEmpty();
    }

    @Test
    void aBlockMatchesASourceAtAnyIndentationButOnlyWholeAndInOrder() {
        List<String> source = List.of("class Example {", "", "    void run() {", "        int a = 1;", "",
                "        int b = 2;", "    }", "}");
        assertThat(contains(source, List.of("int a = 1;", "", "int b = 2;"))).isTrue();
        assertThat(contains(source, List.of("void run() {", "    int a = 1;"))).isTrue();
        assertThat(contains(source, List.of("int a = 1;", "int b = 2;"))).isFalse();
        assertThat(contains(source, List.of("int b = 2;", "int a = 1;"))).isFalse();
        assertThat(contains(source, List.of("void run() {", "int a = 1;"))).isFalse();
        assertThat(contains(source, List.of("a = 1;"))).isFalse();
    }

    @Test
    void blocksAreReadWithTheirSectionLineAndIndentation() {
        List<String> readme = List.of("# Title", "", "## Usage", "", "- a list item:", "", "  ```java",
                "  run();", "  ```", "", "```text", "not java", "```", "```java", "  indented();", "```");
        List<Snippet> snippets = snippets(readme);
        assertThat(snippets).extracting(Snippet::lines)
            .containsExactly(List.of("run();"), List.of("  indented();"));
        assertThat(snippets).extracting(Snippet::toString)
            .containsExactly("README.md line 8 (section \"Usage\")", "README.md line 15 (section \"Usage\")");
    }

    /**
     * @param source the lines of a source file
     * @param snippet the lines of a block
     * @return whether the block's lines are consecutive lines of the source, each with the same prefix of
     * whitespace (blank lines match blank lines)
     */
    static boolean contains(List<String> source, List<String> snippet) {
        int anchor = firstNonBlank(snippet);
        for (int start = 0; start + snippet.size() <= source.size(); start++) {
            String line = source.get(start + anchor);
            if (!line.endsWith(snippet.get(anchor))) {
                continue;
            }
            String indent = line.substring(0, line.length() - snippet.get(anchor).length());
            if (indent.isBlank() && matchesAt(source, start, snippet, indent)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matchesAt(List<String> source, int start, List<String> snippet, String indent) {
        for (int i = 0; i < snippet.size(); i++) {
            String expected = snippet.get(i);
            String actual = source.get(start + i);
            if (expected.isBlank() ? !actual.isBlank() : !actual.equals(indent + expected)) {
                return false;
            }
        }
        return true;
    }

    private static int firstNonBlank(List<String> lines) {
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).isBlank()) {
                return i;
            }
        }
        throw new IllegalArgumentException("A java block of the README is empty");
    }

    /**
     * @param readme the lines of a README
     * @return its {@code ```java} blocks, each without the indentation of its fence (a block inside a list item)
     */
    static List<Snippet> snippets(List<String> readme) {
        List<Snippet> snippets = new ArrayList<>();
        String section = "";
        for (int i = 0; i < readme.size(); i++) {
            String line = readme.get(i);
            if (line.startsWith("#")) {
                section = line.replaceFirst("^#+\\s*", "");
            }
            if (!line.strip().startsWith(FENCE)) {
                continue;
            }
            boolean java = line.strip().equals(FENCE + "java");
            int fenceIndent = line.indexOf(FENCE);
            int first = i + 1;
            do {
                i++;
            }
            while (i < readme.size() && !readme.get(i).strip().equals(FENCE));
            if (java) {
                List<String> lines = readme.subList(first, i).stream()
                    .map(text -> text.substring(Math.min(fenceIndent, text.length() - text.stripLeading().length())))
                    .toList();
                snippets.add(new Snippet(first + 1, section, lines));
            }
        }
        return snippets;
    }

    private static List<List<String>> sources() throws IOException {
        List<List<String>> sources = new ArrayList<>();
        for (Path folder : SOURCES) {
            try (Stream<Path> files = Files.walk(folder)) {
                files.filter(file -> file.toString().endsWith(".java")).map(ReadmeSnippetTests::lines)
                        .forEach(sources::add);
            }
        }
        return sources;
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readString(file).replace("\r\n", "\n").lines().toList();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * A {@code ```java} block of the README.
     * @param line the line number of its first line of code
     * @param section the heading it is under
     * @param lines its lines, without the fences
     */
    record Snippet(int line, String section, List<String> lines) {

        @Override
        public String toString() {
            return "README.md line " + this.line + " (section \"" + this.section + "\")";
        }
    }
}
