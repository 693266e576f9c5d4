package org.proofmap.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * What every command's {@code --help} shares, so all pages read like man pages: the section
 * headings, the EXIT STATUS text, and renderers that indent wrapped paragraphs (picocli's own
 * description and footer sections wrap to column 0).
 *
 * <p>In the annotations, each {@code description} element is one paragraph (an empty element is a
 * blank line), wrapped to the terminal width and indented by two spaces. In a {@code footer}, an
 * element that starts with a letter is a heading, printed as is; an element that starts with spaces
 * is printed as is too (examples are never wrapped, they are meant to be copied), except an exit
 * status line {@code "  N  text"}, which is wrapped with a hanging indent.
 */
final class Help {
    static final String NAME = "NAME%n";
    static final String SYNOPSIS = "%nSYNOPSIS%n  ";
    static final String DESCRIPTION = "%nDESCRIPTION%n";
    static final String PARAMETERS = "%nPARAMETERS%n";
    static final String OPTIONS = "%nOPTIONS%n";
    static final String COMMANDS = "%nCOMMANDS%n";
    static final String EXAMPLES = "%nEXAMPLES%n";

    /** The EXIT STATUS section that ends every footer. */
    static final String EXIT_STATUS = "EXIT STATUS";
    static final String EXIT_0 = "  0  Success.";
    static final String EXIT_1 = "  1  Internal error, a bug in proofmap: please report it with the output of --debug.";
    static final String EXIT_2 = "  2  Bad input: a file that is missing, corrupt, unsupported or of the wrong size,"
            + " reported as one line 'error: <file>: <problem>'; or bad usage: an unknown option or a missing"
            + " parameter.";

    static final String JSON_DESCRIPTION = "Print the result as one JSON object on one line instead of text. "
            + "Off by default.";

    private static final int INDENT = 2;
    private static final Pattern EXIT_LINE = Pattern.compile("^( +\\d+ +)(.*)$");

    private Help() {}

    /** Installs the man-page renderers on {@code cmd} and all its subcommands. */
    static void install(CommandLine cmd) {
        cmd.getHelpSectionMap().put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_HEADER, Help::header);
        cmd.getHelpSectionMap().put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_DESCRIPTION, Help::description);
        cmd.getHelpSectionMap().put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_FOOTER, Help::footer);
        for (CommandLine sub : cmd.getSubcommands().values()) {
            install(sub);
        }
    }

    /** {@code  proofmap info - <header>}, wrapped with a hanging indent. */
    private static String header(CommandLine.Help help) {
        CommandSpec spec = help.commandSpec();
        String[] header = spec.usageMessage().header();
        if (header.length == 0) {
            return "";
        }
        String lead = spec.qualifiedName() + " - ";
        StringBuilder sb = new StringBuilder();
        for (String line : wrap(lead + String.join(" ", header), width(help), INDENT, INDENT + lead.length())) {
            sb.append(line).append(System.lineSeparator());
        }
        return sb.toString();
    }

    private static String description(CommandLine.Help help) {
        StringBuilder sb = new StringBuilder();
        for (String paragraph : help.commandSpec().usageMessage().description()) {
            for (String line : wrap(paragraph, width(help), INDENT, INDENT)) {
                sb.append(line).append(System.lineSeparator());
            }
        }
        return sb.toString();
    }

    private static String footer(CommandLine.Help help) {
        StringBuilder sb = new StringBuilder();
        for (String element : help.commandSpec().usageMessage().footer()) {
            Matcher m = EXIT_LINE.matcher(element);
            if (m.matches()) {
                String lead = m.group(1);
                List<String> lines = wrap(m.group(2), width(help), lead.length(), lead.length());
                lines.set(0, lead + lines.get(0).substring(lead.length()));
                lines.forEach(l -> sb.append(l).append(System.lineSeparator()));
            } else {
                sb.append(element).append(System.lineSeparator());
            }
        }
        return sb.toString();
    }

    private static int width(CommandLine.Help help) {
        return Math.max(40, help.commandSpec().usageMessage().width());
    }

    /**
     * Words of {@code text} in lines of at most {@code width} characters (a longer word gets a line
     * of its own), the first indented by {@code first} spaces and the others by {@code rest}. An
     * empty text is one empty line.
     */
    static List<String> wrap(String text, int width, int first, int rest) {
        List<String> lines = new ArrayList<>();
        String[] words = text.strip().split(" +");
        StringBuilder line = new StringBuilder(" ".repeat(first));
        boolean empty = true;
        for (String w : words) {
            if (w.isEmpty()) {
                continue;
            }
            if (!empty && line.length() + 1 + w.length() > width) {
                lines.add(line.toString());
                line = new StringBuilder(" ".repeat(rest));
                empty = true;
            }
            if (!empty) {
                line.append(' ');
            }
            line.append(w);
            empty = false;
        }
        lines.add(empty ? "" : line.toString());
        return lines;
    }
}
