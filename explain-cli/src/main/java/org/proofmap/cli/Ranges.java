package org.proofmap.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** Parsing of {@code LO,HI} option values. */
final class Ranges {
    private Ranges() {}

    /** Two finite numbers {@code LO < HI}, else a usage error naming {@code option}. */
    static double[] parse(String text, String option, CommandSpec spec) {
        String[] parts = text.split(",", -1);
        double[] r = new double[2];
        boolean ok = parts.length == 2;
        for (int i = 0; ok && i < 2; i++) {
            try {
                r[i] = Double.parseDouble(parts[i].strip());
                ok = Double.isFinite(r[i]);
            } catch (NumberFormatException e) {
                ok = false;
            }
        }
        if (!ok || !(r[0] < r[1])) {
            throw new ParameterException(spec.commandLine(), option + " needs two finite numbers LO,HI with LO < HI"
                    + " (e.g. 0,1), found '" + text + "'");
        }
        return r;
    }
}
