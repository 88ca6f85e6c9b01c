/**
 * Micrometer instrumentation of drops, leaks and live guards: observations of every drop and phase
 * ({@link dev.asyncdrop.micrometer.DropObservations}, whose meter handler makes the timers) or, without an
 * {@code ObservationRegistry}, meters that time drops directly ({@link dev.asyncdrop.micrometer.AsyncDropMetrics});
 * needs {@code micrometer-core}, an optional dependency of this library.
 */
@NullMarked
package dev.asyncdrop.micrometer;

import org.jspecify.annotations.NullMarked;
