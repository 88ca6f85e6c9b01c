package dev.asyncdrop.sample;

import java.time.Duration;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /events} buffers an event and answers {@code 202 Accepted}; {@code GET /events/count} counts the rows
 * written so far. Refusals are RFC 9457 problem details ({@link EventRejectedException}) that say why and what to
 * do; Spring MVC answers the rest (wrong method, media type or path) with its own.
 */
@RestController
@RequestMapping("/events")
class EventController {

    private final EventBuffer buffer;

    private final JdbcClient jdbc;

    private final Duration retryWhenFull;

    private final Duration retryWhenShuttingDown;

    /**
     * A full buffer has room again after its next flush; a shutting down application is back, at the soonest, once
     * its drops are over, which the drop phase timeout bounds.
     */
    EventController(EventBuffer buffer, JdbcClient jdbc, EventBufferProperties properties,
            @Value("${async-drop.timeout-per-phase:20s}") Duration dropPhaseTimeout) {
        this.buffer = buffer;
        this.jdbc = jdbc;
        this.retryWhenFull = properties.getFlushInterval();
        this.retryWhenShuttingDown = dropPhaseTimeout;
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Void> post(@RequestBody EventRequest request) {
        return switch (this.buffer.offer(request.checkedPayload())) {
            case ACCEPTED -> ResponseEntity.accepted().build();
            case FULL -> throw EventRejectedException.bufferFull(this.buffer.capacity(), this.retryWhenFull);
            case CLOSED -> throw EventRejectedException.shuttingDown(this.retryWhenShuttingDown);
        };
    }

    @GetMapping("/count")
    EventCount count() {
        return new EventCount(this.jdbc.sql("select count(*) from events").query(Long.class).single());
    }

    /**
     * Replaces Spring's generic "Failed to read request" with what this endpoint expects.
     */
    @ExceptionHandler
    ErrorResponse unreadableBody(HttpMessageNotReadableException ex) {
        return EventRejectedException.unreadableBody(ex);
    }

    /**
     * The body of {@code POST /events}. The payload is read as a JSON node, not bound to a {@code String}: Jackson
     * would turn {@code 5} or {@code true} into text, and a client that sent a number would never learn it.
     * @param payload the event's payload, a JSON string
     */
    record EventRequest(@Nullable JsonNode payload) {

        /**
         * The payload, if it is a non-blank JSON string of at most {@link EventBuffer#MAX_PAYLOAD_LENGTH} characters
         * (Unicode code points).
         * @throws EventRejectedException otherwise
         */
        String checkedPayload() {
            JsonNode node = this.payload;
            if (node == null || node.isNull() || node.isMissingNode()) {
                throw EventRejectedException.missingPayload();
            }
            if (!node.isString()) {
                throw EventRejectedException.payloadNotAString(node.getNodeType());
            }
            String text = node.stringValue();
            if (text.isBlank()) {
                throw EventRejectedException.missingPayload();
            }
            int characters = text.codePointCount(0, text.length());
            if (characters > EventBuffer.MAX_PAYLOAD_LENGTH) {
                throw EventRejectedException.payloadTooLong(characters);
            }
            return text;
        }
    }

    /**
     * The body of {@code GET /events/count}.
     * @param count the number of rows in table {@code events}
     */
    record EventCount(long count) {
    }
}
