package dev.nristream.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.Collection;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.IndexedRecord;

/**
 * Plain JSON of Avro records for the HTTP answers: field names as in the schema, unions as their value (no
 * Avro type wrappers), enums and strings as text, bytes as base64.
 */
public final class AvroJson {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private AvroJson() {
    }

    /** The record as plain JSON. */
    public static JsonNode toJson(IndexedRecord record) {
        return value(record, record.getSchema());
    }

    private static JsonNode value(Object v, Schema schema) {
        if (v == null) {
            return F.nullNode();
        }
        switch (schema.getType()) {
            case RECORD: {
                IndexedRecord r = (IndexedRecord) v;
                ObjectNode o = F.objectNode();
                for (Schema.Field f : schema.getFields()) {
                    o.set(f.name(), value(r.get(f.pos()), f.schema()));
                }
                return o;
            }
            case ARRAY: {
                ArrayNode a = F.arrayNode();
                for (Object item : (Collection<?>) v) {
                    a.add(value(item, schema.getElementType()));
                }
                return a;
            }
            case MAP: {
                ObjectNode o = F.objectNode();
                for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
                    o.set(e.getKey().toString(), value(e.getValue(), schema.getValueType()));
                }
                return o;
            }
            case UNION:
                return value(v, schema.getTypes().get(GenericData.get().resolveUnion(schema, v)));
            case INT:
                return F.numberNode((Integer) v);
            case LONG:
                return F.numberNode((Long) v);
            case FLOAT:
                return F.numberNode((Float) v);
            case DOUBLE:
                return F.numberNode((Double) v);
            case BOOLEAN:
                return F.booleanNode((Boolean) v);
            case BYTES: {
                ByteBuffer b = ((ByteBuffer) v).duplicate();
                byte[] bytes = new byte[b.remaining()];
                b.get(bytes);
                return F.textNode(Base64.getEncoder().encodeToString(bytes));
            }
            case NULL:
                return F.nullNode();
            default:
                return F.textNode(v.toString());
        }
    }
}
