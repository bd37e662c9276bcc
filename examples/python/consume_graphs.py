#!/usr/bin/env python3
"""Consume nri.graphs and print, per scene, the strongest edges of each new graph.

Needs only Debian's python3-confluent-kafka and python3-avro (apt-get install python3-confluent-kafka
python3-avro). It decodes the Confluent wire format itself, as any client without a registry-aware
deserializer can: byte 0 is the magic byte 0, bytes 1-4 the schema id (big-endian), the rest the Avro binary
body, written with the schema the registry returns for that id (GET {registry}/schemas/ids/{id}).
See docs/CONSUMING.md for the contract.

    python3 examples/python/consume_graphs.py --bootstrap localhost:9092 --registry http://localhost:8081

Prints one line per graph, the same as the Java examples:
    scene-3 frame 148: p1->p0 spring 0.97, p2->p4 spring 0.91
"""

import argparse
import io
import json
import struct
import sys
import time
import urllib.error
import urllib.request

import avro.io
import avro.schema
from confluent_kafka import Consumer, KafkaError

MAGIC_BYTE = 0
HEADER_LENGTH = 5
EDGES_SHOWN = 3


class Undecodable(Exception):
    """A record value that is not a wire-format Avro record this consumer can read."""


class SchemaCache:
    """Writer schemas by id, fetched once from the registry's Confluent-compatible REST API."""

    def __init__(self, registry_url, timeout_s=10):
        self.url = registry_url.rstrip("/")
        self.timeout_s = timeout_s
        self.schemas = {}

    def get(self, schema_id):
        if schema_id not in self.schemas:
            url = f"{self.url}/schemas/ids/{schema_id}"
            try:
                with urllib.request.urlopen(url, timeout=self.timeout_s) as answer:
                    body = json.load(answer)
            except urllib.error.HTTPError as e:
                if e.code == 404:
                    raise Undecodable(f"the registry at {self.url} has no schema with id {schema_id}") from e
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
    args = ap.parse_args(argv)

    schemas = SchemaCache(args.registry)
    consumer = Consumer({
        "bootstrap.servers": args.bootstrap,
        "group.id": args.group,
        # The job writes in Kafka transactions: read_committed hides open and aborted ones.
        "isolation.level": "read_committed",
        "auto.offset.reset": "earliest",
    })
    consumer.subscribe([args.topic])
    printed = 0
    last_graph = time.monotonic()
    try:
        while args.max_graphs <= 0 or printed < args.max_graphs:
            msg = consumer.poll(0.2)
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
