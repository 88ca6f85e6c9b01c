package dev.asyncdrop.spring.autoconfigure;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A recording started with the JVM and dumped when it exits, as an operator takes one: the JDK's shutdown hook,
 * which writes it, runs at the same time as Spring Boot's, which runs the drops.
 */
class DumpOnExitTests {

    @TempDir
    Path directory;

    @Test
    void aRecordingDumpedOnExitHoldsTheDropsOfTheShutdown() throws Exception {
        Path recording = directory.resolve("exit.jfr");
        Path log = directory.resolve("exiting-application.log");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-XX:StartFlightRecording:dumponexit=true,filename=" + recording);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(ExitingApplication.class.getName());
        Process process = new ProcessBuilder(command).directory(directory.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
        try {
            assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("the application exited, see %s", log).isTrue();
        }
        finally {
            process.destroyForcibly();
        }

        assertThat(process.exitValue()).as("exit status, see %s", log).isZero();
        List<RecordedEvent> events = RecordingFile.readAllEvents(recording)
            .stream()
            .filter((event) -> event.getEventType().getName().startsWith("dev.asyncdrop."))
            .sorted(Comparator.comparing(RecordedEvent::getStartTime))
            .toList();
        assertThat(events).filteredOn((event) -> event.getEventType().getName().equals("dev.asyncdrop.Drop"))
            .extracting((event) -> event.getString("resource"))
            .containsExactly("asyncDropScope", "exitingWriter", "exitingPool");
        assertThat(events).filteredOn((event) -> event.getEventType().getName().equals("dev.asyncdrop.RecordingHold"))
            .singleElement()
            .satisfies((hold) -> assertThat(hold.getInt("contexts")).isOne());
    }
}
