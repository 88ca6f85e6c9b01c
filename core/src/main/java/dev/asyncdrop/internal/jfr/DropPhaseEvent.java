package dev.asyncdrop.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * One phase of a plan: the event lasts from the phase's start until its last drop finished or its deadline passed.
 * Not thread-safe: each event is filled and committed by one phase.
 */
@Name(DropPhaseEvent.NAME)
@Label("Drop Phase")
@Category({ "async-drop" })
@Description("One phase of a drop plan, from its start until its last drop finished or its deadline passed")
@StackTrace(false)
final class DropPhaseEvent extends jdk.jfr.Event {

    static final String NAME = "dev.asyncdrop.DropPhase";

    @Label("Phase")
    @Description("The phase number, highest dropped first")
    int phase;

    @Label("Outcome")
    @Description("dropped when every drop of the phase succeeded, else failed or timed out")
    String outcome = "";

    @Label("Resources")
    @Description("How many resources the phase drops")
    int resources;

    @Label("Timeout")
    @Description("How long the phase may take before the drops still running time out")
    @Timespan(Timespan.NANOSECONDS)
    long timeout;
}
