package dev.nristream.feed.sportvu;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The JSON settings SportVU needs: NaN and Infinity appear as bare tokens in real logs. */
final class SportVuJson {

    static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            // Coordinates are most of a game file: the JDK's double parsing was a third of the parse time.
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .build();

    static final ObjectMapper MAPPER = new ObjectMapper(FACTORY);

    private SportVuJson() {
    }
}
