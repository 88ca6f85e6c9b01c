/**
 * What the starter adds to an application's start and close: the same context with and without async-drop's
 * auto-configurations, measured in pairs in one JVM.
 */
@NullMarked
package dev.asyncdrop.benchmarks.starter;

import org.jspecify.annotations.NullMarked;
