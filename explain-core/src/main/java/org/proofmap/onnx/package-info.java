/**
 * ONNX loading: {@link org.proofmap.onnx.OnnxLoader} reads a model file with protobuf classes
 * generated at build time from {@code src/main/proto/onnx_model.proto} (the subset of ONNX's schema
 * that Proofmap needs, with ONNX's field numbers) and builds a {@link org.proofmap.model.Graph}.
 */
package org.proofmap.onnx;
