/**
 * Presenting results: {@link org.proofmap.reports.Heatmap} draws an explanation of an image (which
 * pixels are relevant, probably irrelevant or undecided, and a per-pixel score) as a PNG. HTML, JSON
 * and CSV reports follow.
 */
package org.proofmap.reports;
