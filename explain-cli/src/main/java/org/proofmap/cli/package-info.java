/**
 * The {@code proofmap} command line: one picocli class per command ({@code info}, {@code forward},
 * {@code vnnlib}, ...), each a thin shell that parses options, calls the library and prints. No
 * algorithm lives here.
 *
 * <p>Conventions shared by every command (see {@link org.proofmap.cli.ProofmapCommand}):
 *
 * <ul>
 *   <li>Results go to standard output, as aligned text or, with {@code --json}, as one JSON object on
 *       one line. Output is UTF-8.
 *   <li>Bad input (a missing, corrupt or unsupported file; a wrong input size) is one line on standard
 *       error, {@code error: <file>: <problem>}, and exit status 2. Library exceptions are turned into
 *       a {@link org.proofmap.ProofmapException} naming the file where the command knows it.
 *   <li>Usage errors (unknown option, missing parameter): picocli's message and a hint, exit status 2.
 *   <li>Anything else is a bug: {@code error: internal error: <message> (run with --debug for
 *       details)}, exit status 1.
 *   <li>{@code --debug}, accepted before or after the command name, adds the stack trace after the
 *       error line.
 * </ul>
 */
package org.proofmap.cli;
