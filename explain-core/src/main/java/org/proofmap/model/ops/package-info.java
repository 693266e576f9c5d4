/**
 * One class per operator family. Each owns how it is built from its attributes and inputs (shape
 * checks, constant capture) and its forward pass; the bound engine adds its interval rule and
 * linear relaxation to the same class. {@link org.proofmap.model.ops.Operators} maps ONNX operator
 * types to families.
 */
package org.proofmap.model.ops;
