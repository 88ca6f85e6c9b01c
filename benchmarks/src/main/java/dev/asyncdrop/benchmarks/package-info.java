/**
 * Command-line entry point of the benchmarks: the shutdown makespan comparison, the scale run and JMH.
 */
@NullMarked
package dev.asyncdrop.benchmarks;

import org.jspecify.annotations.NullMarked;
