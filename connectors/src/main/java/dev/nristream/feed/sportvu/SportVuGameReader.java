package dev.nristream.feed.sportvu;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.nristream.avro.PositionFrame;
import dev.nristream.feed.FeedProblems;
import dev.nristream.feed.FrameSource;
import dev.nristream.feed.ProblemKind;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.NoSuchElementException;

/**
 * Streams the frames of a SportVU game file ({@code {"gameid", "gamedate", "events": [{"eventId", "visitor",
 * "home", "moments": [...]}]}}) with Jackson's streaming parser, so a whole game never sits in memory. One scene per
 * game and period ({@code 0021500659-p1}); the ball is agent {@code ball}; players carry their team id and, from the
 * rosters, their position. Moments repeated by overlapping events are dropped; events without moments are skipped
 * and counted; a row with a NaN or infinite coordinate is skipped and reported with its event id. A file that ends
 * early or stops being JSON ends the replay of that file with a reported problem, keeping the frames read so far.
 *
 * <pre>{@code
 * FeedProblems problems = FeedProblems.printingTo(System.err::println);
 * try (SportVuGameReader game = SportVuGameReader.open(Path.of("0021500659.json"), problems)) {
 *     game.forEachRemaining(sink);
 * }
 * System.err.println(game.summary());
 * }</pre>
 */
public final class SportVuGameReader implements FrameSource {

    /** A game has about 150,000 distinct moments; remembering them all costs a few MB. */
    private static final int GAME_DEDUP_CAPACITY = 4_000_000;

    private final JsonParser parser;
    private final String source;
    private final FeedProblems problems;
    private final SportVuMoments moments;
    private final String gameIdOverride;
    private String gameId;
    private String eventId = "?";
    private String eventWhere = "event ?";
    private final MomentReader reader = new MomentReader();
    private int eventMoments;
    private long events;
    private long momentsRead;
    private long framesOut;
    private State state = State.START;
    private PositionFrame next;

    private enum State { START, TOP, EVENTS, MOMENTS, DONE }

    private SportVuGameReader(InputStream in, String source, String gameIdOverride, FeedProblems problems)
            throws IOException {
        this.parser = SportVuJson.MAPPER.createParser(in);
        this.source = source;
        this.problems = problems;
        this.gameIdOverride = gameIdOverride;
        this.moments = new SportVuMoments(source, problems, GAME_DEDUP_CAPACITY);
    }

    /**
     * Opens a game file.
     *
     * @throws java.nio.file.NoSuchFileException when it is missing
     */
    public static SportVuGameReader open(Path file, FeedProblems problems) throws IOException {
        return new SportVuGameReader(Files.newInputStream(file), file.toString(), null, problems);
    }

    /**
     * Reads a game from a stream.
     *
     * @param gameIdOverride game id for scene ids instead of the file's {@code gameid}; may be null
     */
    public static SportVuGameReader of(InputStream in, String source, String gameIdOverride, FeedProblems problems)
            throws IOException {
        return new SportVuGameReader(in, source, gameIdOverride, problems);
    }

    @Override
    public boolean hasNext() {
        while (next == null && state != State.DONE) {
            try {
                next = step();
            } catch (JsonEOFException e) {
                fail(ProblemKind.TRUNCATED_FILE, "file ends inside the JSON document" + inEvent());
            } catch (JsonProcessingException e) {
                fail(ProblemKind.MALFORMED_RECORD, "not valid JSON" + inEvent() + ": " + e.getOriginalMessage());
            } catch (IOException e) {
                throw new UncheckedIOException(source + ": read failed", e);
            }
        }
        return next != null;
    }

    @Override
    public PositionFrame next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        PositionFrame f = next;
        next = null;
        framesOut++;
        return f;
    }

    /** Advances the parser until a frame is decoded (returned) or a structural step is taken (null). */
    private PositionFrame step() throws IOException {
        switch (state) {
            case START -> {
                JsonToken t = parser.nextToken();
                if (t == null) {
                    fail(ProblemKind.TRUNCATED_FILE, "empty file");
                } else if (t != JsonToken.START_OBJECT) {
                    fail(ProblemKind.UNEXPECTED_SHAPE, "a game file is a JSON object, found " + t);
                } else {
                    state = State.TOP;
                }
                return null;
            }
            case TOP -> {
                topField();
                return null;
            }
            case EVENTS -> {
                eventOrEnd();
                return null;
            }
            case MOMENTS -> {
                JsonToken t = parser.nextToken();
                if (t == JsonToken.END_ARRAY) {
                    endMoments();
                    return null;
                }
                if (t == null) {
                    throw new JsonEOFException(parser, null, "end of input inside moments");
                }
                eventMoments++;
                momentsRead++;
                if (t != JsonToken.START_ARRAY) {
                    problems.report(ProblemKind.UNEXPECTED_SHAPE, source, eventWhere,
                            "moment is not an array but " + t.asString());
                    parser.skipChildren();
                    return null;
                }
                reader.read(parser);
                return moments.decode(reader, sceneGameId(), eventWhere);
            }
            default -> {
                return null;
            }
        }
    }

    private void topField() throws IOException {
        JsonToken t = parser.nextToken();
        if (t == JsonToken.END_OBJECT) {
            state = State.DONE;
            return;
        }
        if (t == null) {
            throw new JsonEOFException(parser, null, "end of input");
        }
        String name = parser.currentName();
        JsonToken v = parser.nextToken();
        switch (name) {
            case "gameid" -> gameId = parser.getValueAsString();
            case "events" -> {
                if (v != JsonToken.START_ARRAY) {
                    problems.report(ProblemKind.UNEXPECTED_SHAPE, source, location(), "\"events\" is not an array");
                    parser.skipChildren();
                } else {
                    state = State.EVENTS;
                }
            }
            default -> parser.skipChildren();
        }
    }

    private void eventOrEnd() throws IOException {
        JsonToken t = parser.nextToken();
        if (t == JsonToken.END_ARRAY) {
            state = State.TOP;
            return;
        }
        if (t == null) {
            throw new JsonEOFException(parser, null, "end of input inside events");
        }
        events++;
        eventId = "#" + events;
        eventMoments = 0;
        if (t != JsonToken.START_OBJECT) {
            problems.report(ProblemKind.UNEXPECTED_SHAPE, source, location(), "event " + events + " is not an object");
            parser.skipChildren();
            return;
        }
        // Fields before "moments" (eventId, visitor, home) are read here; the moments stream one by one.
        while ((t = parser.nextToken()) == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken v = parser.nextToken();
            switch (name) {
                case "eventId" -> eventId = parser.getValueAsString();
                case "visitor", "home" -> roster(parser.readValueAsTree());
                case "moments" -> {
                    if (v == JsonToken.START_ARRAY) {
                        eventWhere = "event " + eventId;
                        state = State.MOMENTS;
                        return;
                    }
                    if (v != JsonToken.VALUE_NULL) {
                        problems.report(ProblemKind.UNEXPECTED_SHAPE, source, "event " + eventId,
                                "\"moments\" is not an array");
                    }
                    parser.skipChildren();
                }
                default -> parser.skipChildren();
            }
        }
        if (t == null) {
            throw new JsonEOFException(parser, null, "end of input inside an event");
        }
        endEvent();
    }

    private void endMoments() throws IOException {
        // Fields after "moments" are rare; they cannot change frames already sent.
        JsonToken t;
        while ((t = parser.nextToken()) == JsonToken.FIELD_NAME) {
            parser.nextToken();
            parser.skipChildren();
        }
        if (t == null) {
            throw new JsonEOFException(parser, null, "end of input inside an event");
        }
        state = State.EVENTS;
        endEvent();
    }

    private void endEvent() {
        if (eventMoments == 0) {
            problems.report(ProblemKind.EVENT_WITHOUT_MOMENTS, source, "event " + eventId, "no moments; skipped");
        }
    }

    private void roster(JsonNode team) {
        if (team == null || !team.isObject()) {
            return;
        }
        String teamId = team.path("teamid").asText(null);
        for (JsonNode p : team.path("players")) {
            if (p.path("playerid").canConvertToLong()) {
                moments.addToRoster(p.path("playerid").asLong(),
                        new SportVuMoments.PlayerInfo(teamId, p.path("position").asText(null)));
            }
        }
    }

    private String sceneGameId() {
        if (gameIdOverride != null) {
            return gameIdOverride;
        }
        if (gameId == null) {
            problems.report(ProblemKind.UNEXPECTED_SHAPE, source, location(),
                    "no \"gameid\" before the first moment; scenes named 'unknown'");
            gameId = "unknown";
        }
        return gameId;
    }

    private void fail(ProblemKind kind, String detail) {
        problems.report(kind, source, location(), detail + "; stopped reading this file");
        state = State.DONE;
    }

    private String inEvent() {
        return state == State.MOMENTS || state == State.EVENTS ? " (in event " + eventId + ")" : "";
    }

    private String location() {
        JsonLocation l = parser.currentLocation();
        return "line " + l.getLineNr() + " column " + l.getColumnNr();
    }

    /** The file's game id, once read (null before). */
    public String gameId() {
        return gameIdOverride != null ? gameIdOverride : gameId;
    }

    /** Events seen so far. */
    public long events() {
        return events;
    }

    /** Moments read so far, duplicates included. */
    public long momentsRead() {
        return momentsRead;
    }

    /** One line: events, moments, frames, then the problem counts. */
    public String summary() {
        return "game " + gameId() + ": " + events + " events, " + momentsRead + " moments, " + framesOut
                + " frames, " + problems.count(ProblemKind.EVENT_WITHOUT_MOMENTS) + " events without moments, "
                + problems.count(ProblemKind.DUPLICATE_MOMENT) + " duplicate moments";
    }

    @Override
    public FeedProblems problems() {
        return problems;
    }

    @Override
    public String description() {
        return source;
    }

    @Override
    public void close() {
        try {
            parser.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
