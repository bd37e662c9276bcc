package dev.nristream.job;

import dev.nristream.job.sink.OutputEncoder;
import dev.nristream.job.sink.OutputRecord;
import dev.nristream.job.sink.OutputRecordSerializer;
import java.io.Serializable;
import java.util.Properties;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * Where the job's results and dead letters go: the job's injected output (STYLE.md #1).
 *
 * <pre>{@code
 * JobOutputs kafka = JobOutputs.kafka(config, modelJson);                // production
 * JobOutputs test = JobOutputs.sinks(graphSink, forecastSink, dlqSink);  // any Flink sinks
 * }</pre>
 */
@FunctionalInterface
public interface JobOutputs extends Serializable {

    /** Attaches the sinks to the job's two output streams. */
    void attach(DataStream<WindowResult> results, DataStream<DeadLetterEvent> deadLetters);

    /** Each stream to its own sink (results to both the graph and the forecast sink). */
    static JobOutputs sinks(Sink<WindowResult> graphs, Sink<WindowResult> forecasts, Sink<DeadLetterEvent> deadLetters) {
        return (results, dlq) -> {
            results.sinkTo(graphs).name("graphs-sink").uid("graphs-sink");
            results.sinkTo(forecasts).name("forecasts-sink").uid("forecasts-sink");
            dlq.sinkTo(deadLetters).name("dlq-sink").uid("dlq-sink");
        };
    }

    /**
     * Graphs, forecasts and dead letters encoded with the registry serde and written by one Kafka sink, so that
     * with EXACTLY_ONCE a checkpoint commits one transaction per subtask (transactional ids
     * {@code <transactional-id-prefix>-out-...}) rather than one per topic: commits run on the task thread and
     * are the main cost of short checkpoint intervals.
     */
    static JobOutputs kafka(JobConfig config, String modelJson) {
        String graphs = config.get(JobConfig.TOPIC_GRAPHS);
        String forecasts = config.get(JobConfig.TOPIC_FORECASTS);
        String dlqTopic = config.get(JobConfig.TOPIC_DLQ);
        return (results, dlq) -> {
            TypeInformation<OutputRecord> type = TypeInformation.of(OutputRecord.class);
            DataStream<OutputRecord> encodedResults = results
                    .flatMap(OutputEncoder.results(config.registryConfig(), modelJson, graphs, forecasts), type)
                    .name("encode-results").uid("encode-results");
            DataStream<OutputRecord> encodedDlq = dlq
                    .flatMap(OutputEncoder.deadLetters(config.registryConfig(), dlqTopic), type)
                    .name("encode-dead-letters").uid("encode-dead-letters");
            // Its own task: the writer's flush and the committer's commit at each checkpoint block their thread,
            // and chained to the inference they held back every window behind them.
            encodedResults.union(encodedDlq).sinkTo(kafkaSink(config)).name("kafka-sink").uid("kafka-sink")
                    .disableChaining();
        };
    }

    /** The one Kafka sink, with the configured delivery guarantee. */
    static KafkaSink<OutputRecord> kafkaSink(JobConfig config) {
        Properties producer = new Properties();
        producer.setProperty("transaction.timeout.ms", Long.toString(config.get(JobConfig.TRANSACTION_TIMEOUT_MS)));
        producer.setProperty("linger.ms", "5");
        config.clientConfig().applyTo(producer);
        return KafkaSink.<OutputRecord>builder()
                .setBootstrapServers(config.get(JobConfig.BOOTSTRAP_SERVERS))
                .setKafkaProducerConfig(producer)
                .setDeliveryGuarantee(switch (config.get(JobConfig.DELIVERY)) {
                    case EXACTLY_ONCE -> DeliveryGuarantee.EXACTLY_ONCE;
                    case AT_LEAST_ONCE -> DeliveryGuarantee.AT_LEAST_ONCE;
                    case NONE -> DeliveryGuarantee.NONE;
                })
                .setTransactionalIdPrefix(config.get(JobConfig.TRANSACTIONAL_ID_PREFIX) + "-out")
                .setRecordSerializer(new OutputRecordSerializer())
                .build();
    }
}
