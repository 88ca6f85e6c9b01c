package dev.asyncdrop.test.readme;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/** Keeps the README's "Testing your droppables" example and {@link WriterTests}, which compiles and runs it, equal. */
class ReadmeExampleTests {

    private static final String CLASS_START = "class WriterTests {\n";

    @Test
    void theReadmeShowsTheTestsOfWriterTestsWordForWord() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md")).replace("\r\n", "\n");
        String section = readme.substring(readme.indexOf("## Testing your droppables"));
        int start = section.indexOf("```java\n") + "```java\n".length();
        String snippet = section.substring(start, section.indexOf("```", start));
        String tests = snippet.substring(snippet.indexOf(CLASS_START) + CLASS_START.length(), snippet.lastIndexOf('}'));
        String source = Files.readString(Path.of("src", "test", "java", "dev", "asyncdrop", "test", "readme",
                "WriterTests.java")).replace("\r\n", "\n");

        assertThat(snippet).startsWith("@DetectLeaks").contains(CLASS_START);
        assertThat(source).contains(tests);
    }
}
