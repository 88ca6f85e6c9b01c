/**
 * Implementation details of async-drop. Not API: anything here may change in any release.
 */
@NullMarked
package dev.asyncdrop.internal;

import org.jspecify.annotations.NullMarked;
