/**
 * numpy {@code .npy} files (format 1.0 written byte for byte as numpy does; 1.0-3.0 read; float64, float32, int64,
 * int32, C order), whole ({@link dev.nristream.io.Npy}) or streamed ({@link dev.nristream.io.NpyWriter},
 * {@link dev.nristream.io.NpyReader}).
 */
package dev.nristream.io;
