/**
 * JMH microbenchmarks of guards, shared handles and plan building.
 */
@NullMarked
package dev.asyncdrop.benchmarks.jmh;

import org.jspecify.annotations.NullMarked;
