package dev.nristream.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import dev.nristream.model.NriOnnxModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobConfigTest {

    @TempDir
    Path dir;

    @Test
    void pinsTheDefaults() {
        JobConfig c = JobConfig.builder().build();
        assertThat(c.get(JobConfig.BOOTSTRAP_SERVERS)).isEqualTo("localhost:9092");
        assertThat(c.get(JobConfig.REGISTRY_URL)).isEqualTo("http://localhost:8080/apis/ccompat/v7");
        assertThat(c.get(JobConfig.TOPIC_POSITIONS)).isEqualTo("tracking.positions");
        assertThat(c.get(JobConfig.TOPIC_GRAPHS)).isEqualTo("nri.graphs");
        assertThat(c.get(JobConfig.TOPIC_FORECASTS)).isEqualTo("nri.forecasts");
        assertThat(c.get(JobConfig.TOPIC_DLQ)).isEqualTo("tracking.positions.dlq");
        assertThat(c.get(JobConfig.GROUP_ID)).isEqualTo("nri-stream-job");
        assertThat(c.get(JobConfig.STARTING_OFFSETS)).isEqualTo(JobConfig.StartingOffsets.COMMITTED);
        assertThat(c.get(JobConfig.BOUNDED)).isFalse();
        assertThat(c.get(JobConfig.STRIDE)).isZero();
        assertThat(c.get(JobConfig.HORIZON)).isEqualTo(10);
        assertThat(c.get(JobConfig.MAX_AGENTS)).isEqualTo(64);
        assertThat(c.get(JobConfig.MAX_MISSING_FRACTION)).isEqualTo(0.25);
        assertThat(c.get(JobConfig.SCENE_IDLE_TIMEOUT_MS)).isEqualTo(30_000L);
        assertThat(c.get(JobConfig.BATCH_MAX_SIZE)).isEqualTo(32);
        assertThat(c.get(JobConfig.BATCH_MAX_WAIT_MS)).isEqualTo(20L);
        assertThat(c.get(JobConfig.DEVICE)).isEqualTo("auto");
        assertThat(c.get(JobConfig.INTRA_OP_THREADS)).isEqualTo(1);
        assertThat(c.get(JobConfig.DECODER_PATH)).isEqualTo(NriOnnxModel.DecoderPath.SPARSE);
        assertThat(c.modelOptions().decoderPath()).isEqualTo(NriOnnxModel.DecoderPath.SPARSE);
        assertThat(c.get(JobConfig.ROLLOUT_EDGES)).isEqualTo(JobConfig.RolloutEdges.HARD);
        assertThat(c.get(JobConfig.ROLLOUT_GRAPH)).isEqualTo(JobConfig.RolloutGraph.WINDOW);
        assertThat(c.get(JobConfig.SHED_LAG_MS)).isZero();
        assertThat(c.get(JobConfig.SHED_MAX_STRIDE_FACTOR)).isEqualTo(8);
        assertThat(c.get(JobConfig.PARALLELISM)).isEqualTo(1);
        assertThat(c.get(JobConfig.BUFFER_TIMEOUT_MS)).isEqualTo(10L);
        assertThat(c.get(JobConfig.OUT_OF_ORDERNESS_MS)).isEqualTo(200L);
        assertThat(c.get(JobConfig.IDLENESS_MS)).isEqualTo(5_000L);
        assertThat(c.get(JobConfig.OUTAGE_MS)).isEqualTo(60_000L);
        assertThat(c.get(JobConfig.LATE_TOLERANCE_MS)).isEqualTo(2_000L);
        assertThat(c.get(JobConfig.FUTURE_TOLERANCE_MS)).isEqualTo(300_000L);
        assertThat(c.get(JobConfig.CHECKPOINT_INTERVAL_MS)).isEqualTo(1_000L);
        assertThat(c.configuration().getOptional(JobConfig.CHECKPOINT_DIR)).isEmpty();
        assertThat(c.get(JobConfig.CHECKPOINT_TOLERABLE_FAILURES)).isEqualTo(3);
        assertThat(c.get(JobConfig.DELIVERY)).isEqualTo(JobConfig.Delivery.EXACTLY_ONCE);
        assertThat(c.get(JobConfig.TRANSACTIONAL_ID_PREFIX)).isEqualTo("nri-stream");
        assertThat(c.get(JobConfig.TRANSACTION_TIMEOUT_MS)).isEqualTo(600_000L);
        assertThat(c.get(JobConfig.RESTART_ATTEMPTS)).isEqualTo(3);
        assertThat(c.get(JobConfig.RESTART_DELAY_MS)).isEqualTo(1_000L);
        assertThat(c.configuration().getOptional(JobConfig.KAFKA_CONFIG)).isEmpty();
        assertThat(c.clientConfig().isEmpty()).isTrue();
        assertThat(c.configuration().getOptional(JobConfig.MODEL_CONTROL_TOPIC)).isEmpty();
        assertThat(JobConfig.options()).hasSize(43);
    }

    @Test
    void strideDefaultsToOneWindowPerSecond() {
        JobConfig c = JobConfig.builder().build();
        assertThat(c.strideFor(10.0)).isEqualTo(10);
        assertThat(c.strideFor(25.0)).isEqualTo(25);
        assertThat(c.with(JobConfig.STRIDE, 3).strideFor(25.0)).isEqualTo(3);
    }

    @Test
    void parsesFlagsAndAPropertiesFileWithFlagsWinning() throws Exception {
        Path props = dir.resolve("job.properties");
        Files.writeString(props, "stride = 7\nhorizon=12\ndelivery=AT_LEAST_ONCE\n");
        JobConfig c = JobConfig.fromArgs("--config", props.toString(), "--horizon", "5", "--model.dir=/m",
                "--registry.user", "u", "--registry.password", "secret", "--rollout.graph", "DYNAMIC");
        assertThat(c.get(JobConfig.STRIDE)).isEqualTo(7);
        assertThat(c.get(JobConfig.ROLLOUT_GRAPH)).isEqualTo(JobConfig.RolloutGraph.DYNAMIC);
        assertThat(c.get(JobConfig.HORIZON)).isEqualTo(5);
        assertThat(c.get(JobConfig.CHECKPOINT_TOLERABLE_FAILURES)).isEqualTo(3);
        assertThat(c.get(JobConfig.DELIVERY)).isEqualTo(JobConfig.Delivery.AT_LEAST_ONCE);
        assertThat(c.modelDir()).isEqualTo(Path.of("/m"));
        assertThat(c.registryConfig().basicAuthUser()).contains("u");
        assertThat(c.toString()).doesNotContain("secret");
    }

    @Test
    void modelDirTakesSeveralDirectoriesInOrder() {
        JobConfig c = JobConfig.fromArgs("--model.dir", "/m/springs5, /m/mocap35,");
        assertThat(c.modelDirs()).containsExactly(Path.of("/m/springs5"), Path.of("/m/mocap35"));
        assertThat(c.modelDir()).isEqualTo(Path.of("/m/springs5"));
        assertThatThrownBy(() -> JobConfig.fromArgs("--model.dir", " , ").modelDirs())
                .hasMessageContaining("model.dir names no directory");
    }

    @Test
    void namesUnknownKeysAndBadValues() {
        assertThatThrownBy(() -> JobConfig.fromArgs("--strid", "3"))
                .hasMessageContaining("unknown setting 'strid'").hasMessageContaining("stride");
        assertThatThrownBy(() -> JobConfig.fromArgs("--horizon", "ten"))
                .hasMessageContaining("horizon='ten' is not a valid value");
        assertThatThrownBy(() -> JobConfig.fromArgs("--horizon", "0", "--device", "tpu", "--max-missing-fraction", "1.5"))
                .hasMessageContaining("horizon must be > 0")
                .hasMessageContaining("device must be one of auto, cpu, cuda")
                .hasMessageContaining("max-missing-fraction must be in [0, 1)");
        assertThatThrownBy(() -> JobConfig.fromArgs("--horizon")).hasMessageContaining("--horizon needs a value");
        assertThatThrownBy(() -> JobConfig.builder().build().modelDir()).hasMessageContaining("model.dir is required");
    }

    @Test
    void describesEveryOption() {
        String help = JobConfig.describeOptions();
        for (String key : JobConfig.options().keySet()) {
            assertThat(help).contains("--" + key);
        }
    }
}
