/**
 * Pictures of evaluation results for {@code ./nri plot}: forecast MSE by prediction step for several models (the
 * NRI paper's Fig. 6), and a model's mean edge probabilities on a dataset split drawn on the skeleton (Fig. 7) or as
 * heatmaps (Fig. 8). The classes here read files and draw; the commands in {@code dev.nristream.cli} parse flags.
 */
package dev.nristream.plot;
