/**
 * Shutdown makespan of random layered dependency graphs under Spring's destroy, Spring's {@code SmartLifecycle}
 * stop and async-drop, measured side by side against the critical path.
 */
@NullMarked
package dev.asyncdrop.benchmarks.makespan;

import org.jspecify.annotations.NullMarked;
