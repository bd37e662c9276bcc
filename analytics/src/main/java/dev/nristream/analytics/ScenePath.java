package dev.nristream.analytics;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A request path of the form {@code /scenes/{id}/{resource}}, the id percent-encoded (so it may hold {@code /}).
 * {@link #parse} is strict: a malformed path is an error naming what is wrong, never a guess.
 */
record ScenePath(String sceneId, String resource) {

    /** Longest scene id accepted, characters (decoded). */
    static final int MAX_ID_CHARS = SceneViewProcessor.MAX_ID_CHARS;

    /** Thrown for a path under {@code /scenes/} that is malformed (answered 400). */
    static final class MalformedPathException extends IllegalArgumentException {
        MalformedPathException(String message) {
            super(message);
        }
    }

    /**
     * Parses a raw (still encoded) path.
     *
     * @return empty when the path is not under {@code /scenes/}
     * @throws MalformedPathException for an empty, badly encoded, too long or control-character id, or a path with
     *     other than one id and one resource
     */
    static Optional<ScenePath> parse(String rawPath) {
        if (!rawPath.startsWith("/scenes/")) {
            return Optional.empty();
        }
        String rest = rawPath.substring("/scenes/".length());
        String[] parts = rest.split("/", -1);
        if (parts.length != 2) {
            throw new MalformedPathException("expected /scenes/{id}/{resource} with the id percent-encoded, got "
                    + rawPath);
        }
        if (parts[0].isEmpty() || parts[1].isEmpty()) {
            throw new MalformedPathException("empty scene id or resource in " + rawPath);
        }
        String id = decode(parts[0]);
        if (id.length() > MAX_ID_CHARS) {
            throw new MalformedPathException("scene id of " + id.length() + " characters is longer than "
                    + MAX_ID_CHARS);
        }
        for (int i = 0; i < id.length(); i++) {
            if (Character.isISOControl(id.charAt(i))) {
                throw new MalformedPathException("scene id has a control character at " + i);
            }
        }
        return Optional.of(new ScenePath(id, parts[1]));
    }

    /** Strict percent-decoding as UTF-8 ({@code +} stays a plus: this is a path, not a form). */
    private static String decode(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length() || Character.digit(s.charAt(i + 1), 16) < 0
                        || Character.digit(s.charAt(i + 2), 16) < 0) {
                    throw new MalformedPathException("bad percent-encoding at character " + i + " of the scene id");
                }
                out.write(Character.digit(s.charAt(i + 1), 16) * 16 + Character.digit(s.charAt(i + 2), 16));
                i += 2;
            } else if (c > 0x7f) {
                throw new MalformedPathException("the scene id must be percent-encoded (raw character at " + i + ")");
            } else {
                out.write(c);
            }
        }
        byte[] bytes = out.toByteArray();
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new MalformedPathException("the scene id is not valid UTF-8 once decoded");
        }
    }
}
