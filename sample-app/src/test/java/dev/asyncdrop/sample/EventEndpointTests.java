package dev.asyncdrop.sample;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code POST /events} over HTTP, as a client sees it: what it accepts, and the problem detail of every refusal.
 * One application serves every test; a refused event must leave no trace in the buffer.
 */
class EventEndpointTests {

    private static final String WHAT_TO_SEND = "Send a JSON object with a non-blank \"payload\" string, for example "
            + "{\"payload\": \"hello\"}.";

    @TempDir
    static Path database;

    private static InProcessSampleApp app;

    @BeforeAll
    static void startApplication() {
        app = InProcessSampleApp.start(database, "--sample.buffer.flush-interval=20ms");
    }

    @AfterAll
    static void closeApplication() {
        app.close();
    }

    @Test
    void aJsonStringPayloadIsAcceptedWithAnEmptyBody() throws Exception {
        HttpResponse<String> accepted = app.postEvent("{\"payload\": \"hello\"}");

        assertThat(accepted.statusCode()).isEqualTo(202);
        assertThat(accepted.body()).isEmpty();
    }

    @Test
    void payloadLengthIsCountedInCharactersSoAnEmojiCountsOnce() throws Exception {
        String emoji = "\uD83D\uDE00";
        String longest = emoji.repeat(EventBuffer.MAX_PAYLOAD_LENGTH);

        assertThat(app.postEvent("{\"payload\": \"" + emoji.repeat(600) + "\"}").statusCode()).isEqualTo(202);
        assertThat(app.postEvent("{\"payload\": \"" + longest + "\"}").statusCode()).isEqualTo(202);

        // 2000 UTF-16 units: the column must hold them, or the batch would fail and the event be lost.
        await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> assertThat(persisted(longest)).isOne());
        assertThat(persisted(emoji.repeat(600))).isOne();
    }

    @Test
    void aPayloadOverTheLimitIsRefusedWithItsLengthInCharacters() throws Exception {
        long acknowledged = acknowledged();

        HttpResponse<String> refused = app.postEvent("{\"payload\": \"" + "\uD83D\uDE00".repeat(1001) + "\"}");

        JsonNode problem = badRequest(refused, "urn:async-drop-sample:payload-too-long", "Payload too long");
        assertThat(problem.get("detail").asString())
            .isEqualTo("The payload has 1001 characters (Unicode code points); send at most 1000.");
        assertThat(problem.get("characters").asInt()).isEqualTo(1001);
        assertThat(problem.get("maxCharacters").asInt()).isEqualTo(1000);
        assertThat(acknowledged()).isEqualTo(acknowledged);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            {"payload": 5}             | a number
            {"payload": 5.5}           | a number
            {"payload": true}          | a boolean
            {"payload": {"text": "x"}} | an object
            {"payload": ["x"]}         | an array
            """)
    void aPayloadThatIsNotAJsonStringIsRefusedNotConverted(String body, String type) throws Exception {
        long acknowledged = acknowledged();

        HttpResponse<String> refused = app.postEvent(body);

        JsonNode problem = badRequest(refused, "urn:async-drop-sample:payload-not-a-string", "Payload not a string");
        assertThat(problem.get("detail").asString())
            .isEqualTo("\"payload\" must be a JSON string, it was " + type + ". Quote it, for example "
                    + "{\"payload\": \"5\"}.");
        assertThat(acknowledged()).isEqualTo(acknowledged);
    }

    @ParameterizedTest
    @ValueSource(strings = { "{}", "{\"payload\": null}", "{\"payload\": \"\"}", "{\"payload\": \" \\t\\n\"}",
            "{\"event\": \"hello\"}" })
    void aMissingOrBlankPayloadIsRefused(String body) throws Exception {
        long acknowledged = acknowledged();

        HttpResponse<String> refused = app.postEvent(body);

        JsonNode problem = badRequest(refused, "urn:async-drop-sample:missing-payload", "Missing payload");
        assertThat(problem.get("detail").asString())
            .isEqualTo("The request body has no \"payload\", or it is blank. " + WHAT_TO_SEND);
        assertThat(acknowledged()).isEqualTo(acknowledged);
    }

    @Test
    void aBodyThatIsNotJsonIsRefusedWithWhereItWentWrongAndWhatToSend() throws Exception {
        HttpResponse<String> refused = app.postEvent("{\"payload\": hello}");

        JsonNode problem = badRequest(refused, "urn:async-drop-sample:unreadable-body", "Unreadable request body");
        assertThat(problem.get("detail").asString())
            .isEqualTo("The request body is not valid JSON (at line 1, column 13). " + WHAT_TO_SEND);
    }

    @ParameterizedTest
    @ValueSource(strings = { "[\"hello\"]", "\"hello\"", "5" })
    void jsonThatIsNotAnObjectIsRefusedWithWhatToSend(String body) throws Exception {
        HttpResponse<String> refused = app.postEvent(body);

        JsonNode problem = badRequest(refused, "urn:async-drop-sample:unreadable-body", "Unreadable request body");
        assertThat(problem.get("detail").asString())
            .isEqualTo("The request body is JSON but not an object (at line 1, column 1). " + WHAT_TO_SEND);
    }

    @Test
    void aRequestWithoutABodyIsRefusedWithWhatToSend() throws Exception {
        HttpResponse<String> refused = app.send(app.request("/events")
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.noBody()));

        JsonNode problem = badRequest(refused, "urn:async-drop-sample:unreadable-body", "Unreadable request body");
        assertThat(problem.get("detail").asString()).isEqualTo("The request has no body. " + WHAT_TO_SEND);
    }

    @Test
    void anotherMediaTypeIsRefusedWithSpringsProblemDetailNamingJson() throws Exception {
        HttpResponse<String> refused = app.send(app.request("/events")
            .header("Content-Type", "text/plain")
            .POST(HttpRequest.BodyPublishers.ofString("hello")));

        assertThat(refused.statusCode()).isEqualTo(415);
        assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(refused.headers().allValues("Accept")).containsExactly("application/json");
        JsonNode problem = InProcessSampleApp.json(refused);
        assertThat(problem.get("title").asString()).isEqualTo("Unsupported Media Type");
        assertThat(problem.get("detail").asString()).isEqualTo("Content-Type 'text/plain' is not supported.");
    }

    @Test
    void anotherMethodIsRefusedWithSpringsProblemDetailAndTheAllowedOnes() throws Exception {
        List<HttpResponse<String>> refused = List.of(app.get("/events"),
                app.send(app.request("/events").DELETE()),
                app.send(app.request("/events/count").POST(HttpRequest.BodyPublishers.noBody())));

        assertThat(refused).allSatisfy((response) -> {
            assertThat(response.statusCode()).isEqualTo(405);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(InProcessSampleApp.json(response).get("title").asString()).isEqualTo("Method Not Allowed");
        });
        assertThat(refused.get(0).headers().firstValue("Allow")).hasValue("POST");
        assertThat(refused.get(2).headers().firstValue("Allow")).hasValue("GET");
    }

    @Test
    void anUnknownPathIsAnsweredWithSpringsProblemDetail() throws Exception {
        HttpResponse<String> missing = app.get("/event");

        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(InProcessSampleApp.json(missing).get("title").asString()).isEqualTo("Not Found");
    }

    private static JsonNode badRequest(HttpResponse<String> response, String type, String title) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = InProcessSampleApp.json(response);
        assertThat(problem.get("type").asString()).isEqualTo(type);
        assertThat(problem.get("title").asString()).isEqualTo(title);
        assertThat(problem.get("status").asInt()).isEqualTo(400);
        assertThat(problem.get("instance").asString()).isEqualTo("/events");
        return problem;
    }

    private static long acknowledged() {
        return app.bean(EventBuffer.class).acknowledgedCount();
    }

    private static long persisted(String payload) {
        return app.bean(JdbcClient.class)
            .sql("select count(*) from events where payload = ?")
            .param(payload)
            .query(Long.class)
            .single();
    }
}
