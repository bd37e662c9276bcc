package dev.nristream.feed.sportvu;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The JSON settings SportVU needs: NaN and Infinity appear as bare tokens in real logs. */
final class SportVuJson {

    static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    static final ObjectMapper MAPPER = new ObjectMapper(FACTORY);

    private SportVuJson() {
    }
}
