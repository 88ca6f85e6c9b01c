/**
 * Micrometer meters for drops, leaks and live guards: bind {@link dev.asyncdrop.micrometer.AsyncDropMetrics} to a
 * {@code MeterRegistry}; needs {@code micrometer-core}, an optional dependency of this library.
 */
@NullMarked
package dev.asyncdrop.micrometer;

import org.jspecify.annotations.NullMarked;
