/**
 * The {@code async-writes} benchmark: {@code @Async} writes in flight when the context closes, with and without the
 * starter, under Spring Boot's shutdown settings.
 */
@NullMarked
package dev.asyncdrop.benchmarks.pools;

import org.jspecify.annotations.NullMarked;
