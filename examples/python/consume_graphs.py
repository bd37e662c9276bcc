#!/usr/bin/env python3
"""Consume nri.graphs and print, per scene, the strongest edges of each new graph.

Needs only Debian's python3-confluent-kafka and python3-avro (apt-get install python3-confluent-kafka
python3-avro). It decodes the Confluent wire format itself, as any client without a registry-aware
deserializer can: byte 0 is the magic byte 0, bytes 1-4 the schema id (big-endian), the rest the Avro binary
body, written with the schema the registry returns for that id (GET {registry}/schemas/ids/{id}).
See docs/CONSUMING.md for the contract.

    python3 examples/python/consume_graphs.py --bootstrap localhost:9092 --registry http://localhost:8081

On a secured cluster, --kafka-config FILE takes the same Java-style properties file as ./nri and the Java
examples (security.protocol, sasl.mechanism, sasl.jaas.config, ssl.*, and the registry's basic.auth.user.info
or bearer.auth.token); it is mapped to librdkafka's settings (see client_settings). No secret is ever printed.

Prints one line per graph, the same as the Java examples:
    scene-3 frame 148: p1->p0 spring 0.97, p2->p4 spring 0.91
"""

import argparse
import base64
import io
import re
import json
import struct
import sys
import time
import urllib.error
import urllib.request

import avro.io
import avro.schema
import confluent_kafka
from confluent_kafka import Consumer, KafkaError

MAGIC_BYTE = 0
HEADER_LENGTH = 5
EDGES_SHOWN = 3


class Undecodable(Exception):
    """A record value that is not a wire-format Avro record this consumer can read."""


class ConfigError(Exception):
    """A --kafka-config file this example cannot use; the message names the file and key, never a value."""


class RegistryRefused(Exception):
    """The registry answered 401 or 403: the credentials are wrong or missing."""


# Java client keys librdkafka takes as they are.
SAME_KEYS = {"security.protocol", "sasl.mechanism", "client.id", "ssl.key.password", "ssl.cipher.suites",
             "socket.connection.setup.timeout.ms", "reconnect.backoff.ms", "reconnect.backoff.max.ms"}
# librdkafka's own keys, for a file written for it.
NATIVE_KEYS = {"sasl.username", "sasl.password", "sasl.mechanisms", "ssl.ca.location", "ssl.ca.pem",
               "ssl.certificate.location", "ssl.key.location", "enable.ssl.certificate.verification"}
IGNORED_KEYS = {"bootstrap.servers", "schema.registry.url", "basic.auth.credentials.source",
                "bearer.auth.credentials.source", "ssl.truststore.type", "ssl.keystore.type", "ssl.truststore.password"}


def read_properties(path):
    """A Java .properties file as a dict: '#' and '!' comments, '=' or ':' separators, '\\' line continuations."""
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except OSError as e:
        raise ConfigError(f"{path}: cannot read it ({e.strerror})") from e
    props = {}
    logical = ""
    for raw in text.splitlines():
        line = logical + raw.lstrip() if logical else raw.strip()
        if line.endswith("\\") and not line.endswith("\\\\"):
            logical = line[:-1]
            continue
        logical = ""
        if not line or line[0] in "#!":
            continue
        m = re.match(r"([^=:\s]+)\s*[=:\s]\s*(.*)$", line)
        if m:
            props[m.group(1)] = m.group(2).strip()
        else:
            props[line] = ""
    return props


def jaas_credentials(path, jaas):
    """username and password of a PLAIN or SCRAM sasl.jaas.config line."""
    if "OAuthBearerLoginModule" in jaas:
        raise ConfigError(f"{path}: sasl.jaas.config uses OAUTHBEARER, which this example does not map to "
                          "librdkafka (set sasl.oauthbearer.* for librdkafka yourself)")
    fields = dict(re.findall(r'(\w+)\s*=\s*"((?:[^"\\]|\\.)*)"', jaas))
    if "username" not in fields or "password" not in fields:
        raise ConfigError(f"{path}: sasl.jaas.config has no username=\"...\" password=\"...\" pair")
    unescape = lambda v: re.sub(r"\\(.)", r"\1", v)  # noqa: E731 (JAAS escapes quotes and backslashes)
    return unescape(fields["username"]), unescape(fields["password"])


def client_settings(path):
    """(librdkafka settings, registry HTTP headers, notes) from a Java-style client properties file.

    security.protocol and sasl.mechanism carry over; sasl.jaas.config's username and password become
    sasl.username / sasl.password; a PEM truststore becomes ssl.ca.location (librdkafka cannot read JKS: export
    the CA as PEM); a PKCS12 keystore stays ssl.keystore.*; ssl.endpoint.identification.algorithm= (empty)
    becomes none. The registry gets basic.auth.user.info as HTTP basic auth, or bearer.auth.token as a bearer
    token. Keys librdkafka has no use for are left out with a note naming the key.
    """
    props = read_properties(path)
    conf, notes = {}, []
    for key, value in props.items():
        if key in SAME_KEYS or key in NATIVE_KEYS:
            conf[key] = value
        elif key == "sasl.jaas.config":
            conf["sasl.username"], conf["sasl.password"] = jaas_credentials(path, value)
        elif key == "ssl.truststore.location":
            kind = props.get("ssl.truststore.type", "PEM" if value.endswith((".pem", ".crt")) else "JKS").upper()
            if kind != "PEM":
                raise ConfigError(f"{path}: ssl.truststore.location is a {kind} truststore, which librdkafka "
                                  "cannot read: export the CA certificate as PEM and set ssl.truststore.type=PEM "
                                  "(or ssl.ca.location)")
            conf["ssl.ca.location"] = value
        elif key == "ssl.truststore.certificates":
            conf["ssl.ca.pem"] = value
        elif key == "ssl.keystore.location":
            kind = props.get("ssl.keystore.type", "JKS").upper()
            if kind == "PKCS12":
                conf["ssl.keystore.location"] = value
                if "ssl.keystore.password" in props:
                    conf["ssl.keystore.password"] = props["ssl.keystore.password"]
            elif kind == "PEM":
                conf["ssl.certificate.location"] = conf["ssl.key.location"] = value
            else:
                raise ConfigError(f"{path}: ssl.keystore.location is a {kind} keystore, which librdkafka cannot "
                                  "read: use PKCS12 or PEM")
        elif key == "ssl.keystore.password":
            continue  # taken with ssl.keystore.location (a PKCS12 keystore's; a PEM key's is ssl.key.password)
        elif key == "ssl.endpoint.identification.algorithm":
            conf[key] = value or "none"
        elif key in ("basic.auth.user.info", "bearer.auth.token") or key in IGNORED_KEYS:
            continue
        else:
            notes.append(f"{path}: {key} has no librdkafka equivalent here; left out")
    headers = {}
    user_info = props.get("basic.auth.user.info")
    token = props.get("bearer.auth.token")
    if props.get("basic.auth.credentials.source", "").upper() == "SASL_INHERIT" and "sasl.username" in conf:
        user_info = conf["sasl.username"] + ":" + conf["sasl.password"]
    if user_info and token:
        raise ConfigError(f"{path}: basic.auth.user.info and bearer.auth.token are both set; keep one")
    if user_info:
        if ":" not in user_info:
            raise ConfigError(f"{path}: basic.auth.user.info must be user:password")
        headers["Authorization"] = "Basic " + base64.b64encode(user_info.encode("utf-8")).decode("ascii")
    elif token:
        headers["Authorization"] = "Bearer " + token
    return conf, headers, notes


# librdkafka before 2.6.1 fails every SCRAM login to Kafka 4.0+ brokers as "invalid credentials"
# (confluentinc/librdkafka#4895); Debian 12 ships 2.0.2.
SCRAM_FIXED_IN = (2, 6, 1)


def scram_hint(conf):
    """A note for a refused SCRAM login when the librdkafka in use has the bug above, else ""."""
    mechanism = conf.get("sasl.mechanism", conf.get("sasl.mechanisms", "")).upper()
    if not mechanism.startswith("SCRAM"):
        return ""
    text, _ = confluent_kafka.libversion()
    version = tuple(int(p) for p in re.findall(r"\d+", text)[:3])
    if version >= SCRAM_FIXED_IN:
        return ""
    return (f" (note: this librdkafka is {text}; before 2.6.1 its SCRAM logins to Kafka 4.0+ brokers fail as "
            "invalid credentials, see confluentinc/librdkafka#4895: install confluent-kafka 2.6.1 or newer)")


class SchemaCache:
    """Writer schemas by id, fetched once from the registry's Confluent-compatible REST API."""

    def __init__(self, registry_url, timeout_s=10, headers=None):
        self.url = registry_url.rstrip("/")
        self.timeout_s = timeout_s
        self.headers = headers or {}
        self.schemas = {}

    def get(self, schema_id):
        if schema_id not in self.schemas:
            url = f"{self.url}/schemas/ids/{schema_id}"
            try:
                request = urllib.request.Request(url, headers=self.headers)
                with urllib.request.urlopen(request, timeout=self.timeout_s) as answer:
                    body = json.load(answer)
            except urllib.error.HTTPError as e:
                if e.code == 404:
                    raise Undecodable(f"the registry at {self.url} has no schema with id {schema_id}") from e
                if e.code in (401, 403):
                    sent = "no credentials were sent" if not self.headers else \
                        "the credentials from --kafka-config were refused"
                    raise RegistryRefused(f"the schema registry at {self.url} answered HTTP {e.code}: {sent}") from e
                raise
            self.schemas[schema_id] = avro.schema.parse(body["schema"])
        return self.schemas[schema_id]


def decode(value, schemas):
    """The record in `value` (Confluent wire format) as a dict, fields named as in the Avro schema."""
    if value is None or len(value) < HEADER_LENGTH:
        size = 0 if value is None else len(value)
        raise Undecodable(f"{size} byte(s): too short for the wire format (magic byte + 4-byte schema id)")
    if value[0] != MAGIC_BYTE:
        raise Undecodable(f"starts with byte 0x{value[0]:02x} instead of the magic byte 0x00")
    (schema_id,) = struct.unpack(">I", value[1:HEADER_LENGTH])
    writer = schemas.get(schema_id)
    try:
        return avro.io.DatumReader(writer).read(avro.io.BinaryDecoder(io.BytesIO(value[HEADER_LENGTH:])))
    except Exception as e:  # the avro library raises several types for a bad body
        raise Undecodable(f"Avro body does not decode with schema id {schema_id}: {e}") from e


def no_edge_index(graph):
    """Index of the "no edge" type, -1 when every type is an interaction: the graph's no_edge_type.

    Graphs written before that field existed do not have it (decoded with their writer's schema, the key is
    missing, or null): for those, the type named 'none' (or 'no edge', 'no_edge', 'no-edge') is taken.
    """
    declared = graph.get("no_edge_type")
    if declared is not None:
        return declared
    for k, name in enumerate(graph["edge_type_names"]):
        if name.lower().replace("_", " ").replace("-", " ").strip() in ("none", "no edge", "noedge"):
            return k
    return -1


def strength(edge, no_edge):
    """1 - p(no edge), or the probability of the edge's type when the model has no "no edge" type."""
    p = edge["probabilities"]
    if 0 <= no_edge < len(p):
        return 1.0 - p[no_edge]
    k = edge["edge_type"]
    return p[k] if 0 <= k < len(p) else 0.0


def strongest_edges(graph, limit=EDGES_SHOWN):
    no_edge = no_edge_index(graph)
    interacting = [e for e in graph["edges"] if e["edge_type"] != no_edge]
    # sorted() is stable, also with reverse=True: equally strong edges keep the graph's edge order.
    return sorted(interacting, key=lambda e: strength(e, no_edge), reverse=True)[:limit]


def describe(edge, names):
    k = edge["edge_type"]
    name = names[k] if 0 <= k < len(names) else f"type{k}"
    p = edge["probabilities"][k] if 0 <= k < len(edge["probabilities"]) else float("nan")
    return f"{edge['sender']}->{edge['receiver']} {name} {p:.2f}"


def graph_line(graph):
    edges = [describe(e, graph["edge_type_names"]) for e in strongest_edges(graph)]
    summary = ", ".join(edges) if edges else "(no interactions)"
    return f"{graph['scene_id']} frame {graph['window_end_frame']}: {summary}"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bootstrap", default="localhost:9092", help="Kafka bootstrap servers")
    ap.add_argument("--registry", default="http://localhost:8081",
                    help="schema registry base URL (Apicurio: http://host:8080/apis/ccompat/v7)")
    ap.add_argument("--topic", default="nri.graphs")
    ap.add_argument("--group", default="nri-graphs-python-example", help="consumer group id")
    ap.add_argument("--max-graphs", type=int, default=0, help="stop after this many graphs (0: no limit)")
    ap.add_argument("--idle-timeout", type=float, default=0,
                    help="stop when no graph arrived for this many seconds (0: never)")
    ap.add_argument("--kafka-config", metavar="FILE",
                    help="Java-style client properties for a secured cluster (SASL, SSL, registry credentials)")
    args = ap.parse_args(argv)

    security, headers = {}, {}
    if args.kafka_config:
        try:
            security, headers, notes = client_settings(args.kafka_config)
        except ConfigError as e:
            print(f"consume_graphs: {e}", file=sys.stderr)
            return 2
        for note in notes:
            print(f"consume_graphs: {note}", file=sys.stderr)
    schemas = SchemaCache(args.registry, headers=headers)
    fatal = []

    def on_error(err):
        # Refused logins and failed TLS handshakes (a wrong CA, a client certificate the broker wants) come here,
        # not through poll(), and librdkafka would retry them forever: stop at once and say why.
        tls_refused = err.code() == KafkaError._TRANSPORT and "SSL" in err.str() and "alert" in err.str()
        if err.code() in (KafkaError._AUTHENTICATION, KafkaError.SASL_AUTHENTICATION_FAILED, KafkaError._SSL) \
                or tls_refused or err.fatal():
            fatal.append(err.str() + scram_hint(security))

    try:
        consumer = Consumer({
            **security,
            "bootstrap.servers": args.bootstrap,
            "group.id": args.group,
            # The job writes in Kafka transactions: read_committed hides open and aborted ones.
            "isolation.level": "read_committed",
            "auto.offset.reset": "earliest",
            "error_cb": on_error,
        })
    except confluent_kafka.KafkaException as e:
        # librdkafka checks its settings here (a keystore without its password, an unreadable file).
        where = f" (settings from {args.kafka_config})" if args.kafka_config else ""
        print(f"consume_graphs: cannot make a Kafka consumer{where}: {e.args[0].str()}", file=sys.stderr)
        return 2
    consumer.subscribe([args.topic])
    printed = 0
    last_graph = time.monotonic()
    try:
        while args.max_graphs <= 0 or printed < args.max_graphs:
            msg = consumer.poll(0.2)
            if fatal:
                print(f"consume_graphs: Kafka at {args.bootstrap}: {fatal[0]}", file=sys.stderr)
                return 2
            if msg is None:
                if args.idle_timeout > 0 and time.monotonic() - last_graph > args.idle_timeout:
                    break
                continue
            if msg.error():
                if msg.error().code() != KafkaError._PARTITION_EOF:
                    print(f"consumer error: {msg.error()}", file=sys.stderr)
                continue
            if msg.value() is None:
                continue
            try:
                graph = decode(msg.value(), schemas)
            except Undecodable as e:
                print(f"skipping undecodable record {msg.topic()}[{msg.partition()}]@{msg.offset()}: {e}",
                      file=sys.stderr)
                continue
            except RegistryRefused as e:
                print(f"consume_graphs: {e}", file=sys.stderr)
                return 2
            except urllib.error.URLError as e:
                print(f"schema registry at {schemas.url} unreachable: {e.reason}", file=sys.stderr)
                return 2
            print(graph_line(graph), flush=True)
            printed += 1
            last_graph = time.monotonic()
    finally:
        consumer.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
