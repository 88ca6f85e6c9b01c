package dev.asyncdrop.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Threshold;

import org.jspecify.annotations.Nullable;

/**
 * The drop of an {@code AsyncDropGuard} anywhere in the JVM, from its start until its stage completed. Runtime
 * guards can be dropped thousands of times a second, so by default only drops of 10 ms or more are recorded, as the
 * JDK's own settings do for frequent events; a recording's settings can lower the threshold. Not thread-safe: each
 * event is filled and committed by one drop.
 */
@Name(GuardDropEvent.NAME)
@Label("Guard Drop")
@Category({ "async-drop" })
@Description("The drop of an AsyncDropGuard, from its start until its stage completed")
@Threshold("10 ms")
@StackTrace(false)
final class GuardDropEvent extends jdk.jfr.Event {

    static final String NAME = "dev.asyncdrop.GuardDrop";

    @Label("Resource Type")
    @Description("The class of the dropped resource")
    @Nullable Class<?> resourceType;

    @Label("Outcome")
    @Description("dropped or failed")
    String outcome = "";

    @Label("Failure")
    @Description("The failure of a failed drop")
    @Nullable String failure;
}
