package dev.nristream.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nristream.avro.InteractionGraph;
import dev.nristream.avro.PositionFrame;
import dev.nristream.testing.FlinkMiniCluster;
import dev.nristream.testing.RealServices;
import dev.nristream.testing.SampleRecords;
import dev.nristream.topic.Topics;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The Flink adapters against the real registry, inside a real MiniCluster job. */
@ExtendWith({RealServices.class, FlinkMiniCluster.class})
class FlinkRegistrySchemasTest {

    @Test
    void schemasSurviveJavaSerialisationAndRoundTrip() throws Exception {
        var ser = InstantiationUtil.clone(
                AvroRegistrySerializationSchema.forValue(Topics.GRAPHS, RealServices.registryConfig()));
        var de = InstantiationUtil.clone(
                AvroRegistryDeserializationSchema.forValue(Topics.GRAPHS, RealServices.registryConfig()));
        ser.open(null);
        de.open(null);
        InteractionGraph graph = SampleRecords.interactionGraph("flink-graphs", 60, 4);
        byte[] bytes = ser.serialize(graph);

        int id = new SchemaRegistryClient(RealServices.registryConfig()).latestId(Topics.GRAPHS.valueSubject());
        assertThat(bytes[0]).isZero();
        assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(id);
        assertThat(de.deserialize(bytes)).isEqualTo(graph);
        assertThat(de.getProducedType().getTypeClass()).isEqualTo(InteractionGraph.class);
    }

    @Test
    void jobDecodesRegistryFramesOnTheTaskManager() throws Exception {
        String scene = "flink-job";
        List<PositionFrame> frames = LongStream.range(0, 8).mapToObj(i -> SampleRecords.positionFrame(scene, i, 4))
                .collect(Collectors.toList());
        var ser = AvroRegistrySerializationSchema.forValue(Topics.POSITIONS, RealServices.registryConfig());
        List<byte[]> encoded = frames.stream().map(ser::serialize).collect(Collectors.toList());
        var de = AvroRegistryDeserializationSchema.forValue(Topics.POSITIONS, RealServices.registryConfig());

        StreamExecutionEnvironment env = FlinkMiniCluster.environment(2);
        List<PositionFrame> decoded = new ArrayList<>();
        try (CloseableIterator<PositionFrame> it = env.fromData(encoded, TypeInformation.of(byte[].class))
                .map(new Decode(de), de.getProducedType())
                .executeAndCollect("decode-frames")) {
            it.forEachRemaining(decoded::add);
        }
        assertThat(decoded).containsExactlyInAnyOrderElementsOf(frames);
    }

    /** Uses the schema as a Flink source would: shipped with the job, opened on the task manager. */
    private static final class Decode extends RichMapFunction<byte[], PositionFrame> {
        private static final long serialVersionUID = 1L;
        private final AvroRegistryDeserializationSchema<PositionFrame> schema;

        Decode(AvroRegistryDeserializationSchema<PositionFrame> schema) {
            this.schema = schema;
        }

        @Override
        public void open(OpenContext context) {
            schema.open(null);
        }

        @Override
        public PositionFrame map(byte[] value) {
            return schema.deserialize(value);
        }
    }
}
