package dev.nristream.cli;

import picocli.CommandLine;

/** Reads the version Maven stamped into the jar manifest. */
final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Nri.class.getPackage().getImplementationVersion();
        return new String[] {"nri-stream " + (v == null ? "(development build)" : v)};
    }
}
