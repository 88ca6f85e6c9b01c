/**
 * Implementation of the Spring integration. Not API: anything here may change in any release.
 */
@NullMarked
package dev.asyncdrop.spring.internal;

import org.jspecify.annotations.NullMarked;
