package org.proofmap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

class HelpTest {
    private static CommandSpec spec(String command) {
        CommandLine cmd = ProofmapCommand.commandLine();
        return command.isEmpty() ? cmd.getCommandSpec() : cmd.getSubcommands().get(command).getCommandSpec();
    }

    private static String[] args(String command, String... rest) {
        List<String> a = new ArrayList<>();
        if (!command.isEmpty()) {
            a.add(command);
        }
        a.addAll(List.of(rest));
        return a.toArray(new String[0]);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "info", "forward", "vnnlib", "bounds", "certify", "verify"})
    void helpReadsLikeAManPageAndMentionsEveryOption(String command) {
        String help = Cli.ok(args(command, "--help")).out();
        for (String section : List.of("NAME\n", "SYNOPSIS\n", "DESCRIPTION\n", "OPTIONS\n", "EXAMPLES\n",
                "EXIT STATUS\n")) {
            assertTrue(help.contains(section), () -> section + " missing in:\n" + help);
        }
        assertTrue(help.contains("  0  Success."), help);
        assertTrue(help.contains("  1  Internal error"), help);
        assertTrue(help.contains("  2  Bad input"), help);
        assertTrue(help.contains("../shared/"), help);
        CommandSpec spec = spec(command);
        for (OptionSpec o : spec.options()) {
            for (String name : o.names()) {
                assertTrue(help.contains(name), () -> name + " missing in:\n" + help);
            }
            assertTrue(o.description().length > 0 && !o.description()[0].isBlank(), o.longestName());
        }
        for (PositionalParamSpec p : spec.positionalParameters()) {
            assertTrue(help.contains(p.paramLabel()), p.paramLabel());
            assertTrue(help.contains("PARAMETERS\n"), help);
        }
        assertTrue(help.contains("--debug"), help);
        // The same page with -h and through 'proofmap help COMMAND'.
        assertEquals(help, Cli.ok(args(command, "-h")).out());
        if (!command.isEmpty()) {
            assertEquals(help, Cli.ok("help", command).out());
        }
    }

    @Test
    void subcommandsAreListed() {
        String help = Cli.ok("--help").out();
        for (String c : List.of("info", "forward", "vnnlib", "bounds", "certify", "verify")) {
            assertTrue(help.contains("  " + c + " "), help);
        }
    }

    @Test
    void version() {
        String out = Cli.ok("--version").out();
        assertTrue(out.startsWith("proofmap " + ProofmapCommand.FALLBACK_VERSION + "\n")
                || out.startsWith("proofmap "), out);
        assertTrue(out.contains("Java "), out);
        assertEquals(out, Cli.ok("info", "--version").out());
    }

    @Test
    void wrappingKeepsTheIndentation() {
        assertEquals(List.of("  aa bb", "    cc"), Help.wrap("aa bb cc", 8, 2, 4));
        assertEquals(List.of("  averyveryverylongword", "    x"), Help.wrap("averyveryverylongword x", 8, 2, 4));
        assertEquals(List.of(""), Help.wrap("", 8, 2, 2));
    }
}
