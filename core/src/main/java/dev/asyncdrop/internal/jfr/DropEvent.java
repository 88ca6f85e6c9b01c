package dev.asyncdrop.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

import org.jspecify.annotations.Nullable;

/**
 * The drop of one resource of a plan: the event lasts as long as the drop, from its start until it completed or the
 * coordinator stopped waiting. Not thread-safe: each event is filled and committed by one drop.
 */
@Name(DropEvent.NAME)
@Label("Drop")
@Category({ "async-drop" })
@Description("The drop of one resource of a drop plan, from its start until it completed or the coordinator stopped "
        + "waiting")
// The committing thread is whichever completed the drop: its stack says nothing about the resource.
@StackTrace(false)
final class DropEvent extends jdk.jfr.Event {

    static final String NAME = "dev.asyncdrop.Drop";

    @Label("Resource")
    @Description("The resource's name in its plan (the bean name in a Spring application)")
    String resource = "";

    @Label("Phase")
    @Description("The phase the resource is dropped in")
    int phase;

    @Label("Outcome")
    @Description("dropped, failed, timed out or skipped")
    String outcome = "";

    @Label("Failure")
    @Description("The failure of a failed drop")
    @Nullable String failure;
}
