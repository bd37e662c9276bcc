package dev.nristream.cli;

import dev.nristream.avro.ModelControl;
import dev.nristream.kafka.ClientConfigFile;
import dev.nristream.registry.RegistrySerdes;
import dev.nristream.topic.TopicSpec;
import dev.nristream.topic.Topics;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./nri swap-model}: asks a running stream job (started with {@code model.control-topic}) to serve another
 * model, by one {@code ModelControl} record on the model-control topic.
 *
 * <pre>
 * ./nri swap-model --model /models/springs5-v2 --bootstrap kafka:9092 --registry http://reg:8080/apis/ccompat/v7
 * </pre>
 */
@Command(
        name = "swap-model",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Ask a running stream job to serve another model without a restart (hot swap):",
            "writes one ModelControl record to the model-control topic, which the job reads",
            "when started with -D model.control-topic=TOPIC. The job swaps the model in at",
            "each scene's next window, or refuses it (a MODEL_REFUSED dead letter naming why)",
            "and keeps the old one; its log says which. See docs/SERVING.md."
        })
public final class SwapModelCommand implements Callable<Integer> {

    @Option(names = "--model", paramLabel = "DIR", required = true,
            description = "The new model directory, as the job's task managers see it (a shared path).")
    String model;

    @Option(names = "--replaces", paramLabel = "MODEL_ID",
            description = "Model id it replaces (default: the one served model with the same system and dimensions).")
    String replaces;

    @Option(names = "--topic", description = "The job's model.control-topic (default: nri.model-control, "
            + "Topics.MODEL_CONTROL).")
    String topic;

    @Option(names = "--requested-by", paramLabel = "WHO", description = "Shown in the job's log (default: your user name).")
    String requestedBy;

    @Option(names = "--bootstrap", defaultValue = ReplayFlags.DEFAULT_BOOTSTRAP,
            description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}).")
    String bootstrap;

    @Option(names = "--registry", defaultValue = ReplayFlags.DEFAULT_REGISTRY,
            description = "Schema registry URL, Confluent-compatible API (default: ${DEFAULT-VALUE}).")
    String registry;

    @Option(names = "--kafka-config", paramLabel = "FILE", description = "Kafka client properties for a secured "
            + "cluster and the registry's credentials (docs/RELIABILITY.md).")
    Path kafkaConfig;

    @Override
    public Integer call() throws Exception {
        if (model.isBlank()) {
            throw new UserError("--model names no directory");
        }
        String topic = this.topic != null ? this.topic : Topics.MODEL_CONTROL.name();
        ClientConfigFile security = ClientConfigFile.loadOrNone(kafkaConfig);
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "20000");
        security.applyTo(p);
        ModelControl request = ModelControl.newBuilder().setModelDir(model).setReplaces(replaces)
                .setRequestedBy(requestedBy != null ? requestedBy : System.getProperty("user.name"))
                .setTimeMs(System.currentTimeMillis()).build();
        try (KafkaProducer<String, ModelControl> producer = new KafkaProducer<>(p, new StringSerializer(),
                RegistrySerdes.valueSerializer(new TopicSpec<>(topic, String.class, ModelControl.class),
                        security.registry(registry)))) {
            RecordMetadata m = producer.send(new ProducerRecord<>(topic, replaces == null ? model : replaces, request))
                    .get();
            System.out.println("sent swap to " + model + (replaces == null ? "" : " (replacing " + replaces + ")")
                    + " as " + m.topic() + "/" + m.partition() + "@" + m.offset() + "; the job's log and "
                    + Topics.POSITIONS_DLQ.name() + " (MODEL_REFUSED) say whether it was taken");
        }
        return 0;
    }
}
