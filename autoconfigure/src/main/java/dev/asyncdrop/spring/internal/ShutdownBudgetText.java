package dev.asyncdrop.spring.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import dev.asyncdrop.spring.ShutdownWorstCase;
import dev.asyncdrop.spring.ShutdownWorstCase.PhaseWait;

/** The words of a shutdown that exceeds its budget: which phases wait how long, and which properties to change. */
final class ShutdownBudgetText {

    /** Stands in for a property when the lifecycle processor was given a phase's timeout in code. */
    static final String PROCESSOR_OVERRIDE = "the timeout the lifecycle processor was given for this phase";

    private static final int LISTED_BEANS = 3;

    private ShutdownBudgetText() {
    }

    static String description(ShutdownWorstCase worstCase) {
        String phases = worstCase.phases().stream()
                .map((wait) -> String.format("    - phase %d, %s: up to %s (%s)", wait.phase(), stops(wait),
                        DropLog.print(wait.timeout()), setBy(wait)))
                .collect(Collectors.joining(System.lineSeparator()));
        return String.format("The shutdown can take up to %s, longer than its budget of %s "
                + "(async-drop.shutdown-budget). Spring stops the lifecycle phases below one after another, highest "
                + "first, and waits for each up to its timeout, which for a phase with drops is at least as long as "
                + "its drops may take:%n%n%s", DropLog.print(worstCase.total()),
                DropLog.print(budget(worstCase)), phases);
    }

    static String action(ShutdownWorstCase worstCase) {
        Map<String, List<PhaseWait>> byProperty = new LinkedHashMap<>();
        for (PhaseWait wait : worstCase.phases()) {
            byProperty.computeIfAbsent(wait.property(), (property) -> new ArrayList<>()).add(wait);
        }
        List<String> properties = byProperty.entrySet().stream()
                .map((entry) -> lower(entry.getKey(), entry.getValue()))
                .toList();
        String lower = (properties.size() < 2) ? String.join("", properties)
                : String.join(", ", properties.subList(0, properties.size() - 1)) + " or "
                        + properties.get(properties.size() - 1);
        return String.format("Update the configuration so that these timeouts add up to %s or less: lower %s. If the "
                + "platform gives the application more time to stop, raise async-drop.shutdown-budget to match (on "
                + "Kubernetes: terminationGracePeriodSeconds minus any preStop delay).",
                DropLog.print(budget(worstCase)), lower);
    }

    private static String lower(String property, List<PhaseWait> waits) {
        PhaseWait first = waits.get(0);
        if (property.equals(PROCESSOR_OVERRIDE)) {
            return "the timeout the lifecycle processor was given for phase " + first.phase() + " (now "
                    + DropLog.print(first.timeout()) + ")";
        }
        Duration value = isDropWait(first) ? first.timeout().minus(ShutdownTimeouts.REPORT_MARGIN) : first.timeout();
        String phases = (waits.size() > 1) ? ", waited for in " + waits.size() + " phases" : "";
        return property + " (now " + DropLog.print(value) + phases + ")";
    }

    private static String stops(PhaseWait wait) {
        String drops = (wait.droppables() > 0)
                ? "the drops of " + wait.droppables() + " bean" + ((wait.droppables() != 1) ? "s" : "") : "";
        String beans = names(wait.lifecycleBeans());
        if (drops.isEmpty()) {
            return beans;
        }
        return beans.isEmpty() ? drops : drops + " and " + beans;
    }

    private static String setBy(PhaseWait wait) {
        if (isDropWait(wait)) {
            Duration dropTimeout = wait.timeout().minus(ShutdownTimeouts.REPORT_MARGIN);
            return wait.property() + ", " + DropLog.print(dropTimeout) + ", plus "
                    + DropLog.print(ShutdownTimeouts.REPORT_MARGIN) + " for its log and report";
        }
        if (wait.droppables() > 0) {
            return wait.property() + ", longer than its drops may take, and never shortened for them";
        }
        return wait.property();
    }

    /** Whether a phase's wait is its drops' (their timeout and the report's margin), rather than Spring's own. */
    private static boolean isDropWait(PhaseWait wait) {
        return wait.droppables() > 0 && wait.property().startsWith("async-drop.");
    }

    private static String names(List<String> beans) {
        String names = beans.stream().limit(LISTED_BEANS).collect(Collectors.joining(", "));
        int more = beans.size() - LISTED_BEANS;
        return (more > 0) ? names + " and " + more + " more" : names;
    }

    private static Duration budget(ShutdownWorstCase worstCase) {
        Duration budget = worstCase.budget();
        return (budget != null) ? budget : worstCase.total();
    }
}
