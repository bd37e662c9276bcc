/**
 * The NRI paper's simulated systems (springs, charged particles, Kuramoto oscillators), plain Java and
 * deterministic in (run seed, index), and the dataset writer for the research code's {@code .npy} layout.
 *
 * <pre>{@code
 * SimConfig cfg = SimConfig.builder().setSystem(SimSystem.SPRINGS).setAtoms(5).build();
 * Simulator sim = Simulators.forConfig(cfg);
 * Scene scene = sim.simulate(42, 0);           // loc/vel [49][2][5], edges [5][5]
 * LiveScene live = sim.live(42, 0);            // one frame (0.1 time units) per next(), forever
 * new DatasetGenerator().generate(spec, n -> { });   // loc_train_springs5.npy ...
 * }</pre>
 */
package dev.nristream.sim;
