package dev.asyncdrop.spring.internal;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Period;
import jdk.jfr.StackTrace;

/**
 * How long a recording's dump at JVM exit waited for the application contexts' shutdown drops. Its period is the end
 * of each chunk, which is where the JDK's shutdown hook asks for it, just before it writes the recording: see
 * {@link FlightRecordingHold}. Disable it in a recording's settings to let the dump go at once. Not thread-safe: each
 * event is filled and committed by one hook run.
 */
@Name("dev.asyncdrop.RecordingHold")
@Label("Recording Held for Drops")
@Category({ "async-drop" })
@Description("How long the recording's dump at JVM exit waited for the application's shutdown drops")
@Period("endChunk")
@StackTrace(false)
final class RecordingHoldEvent extends jdk.jfr.Event {

    @Label("Contexts")
    @Description("How many application contexts were closing")
    int contexts;
}
