/**
 * The AsyncDrop pattern: resources whose cleanup is asynchronous, guards that make that cleanup explicit and
 * report leaks, scope helpers that drop on every path, and shared handles.
 */
@NullMarked
package dev.asyncdrop;

import org.jspecify.annotations.NullMarked;
