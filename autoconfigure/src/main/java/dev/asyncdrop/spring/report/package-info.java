/**
 * Shutdown reports kept on disk, so that a shutdown can be inspected, and published as metrics, after the next start.
 */
@NullMarked
package dev.asyncdrop.spring.report;

import org.jspecify.annotations.NullMarked;
