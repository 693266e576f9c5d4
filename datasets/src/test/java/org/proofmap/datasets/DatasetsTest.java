package org.proofmap.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.proofmap.datasets.Fixtures.failure;
import static org.proofmap.datasets.Fixtures.gzip;
import static org.proofmap.datasets.Fixtures.idxImages;
import static org.proofmap.datasets.Fixtures.idxLabels;
import static org.proofmap.datasets.Fixtures.write;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.proofmap.model.Shape;

class DatasetsTest {
    @TempDir
    Path dir;

    private Path idx() {
        Path images = write(dir.resolve("idx/digits-images-idx3-ubyte.gz"), gzip(idxImages(2, 28, 28, Fixtures.ramp(2 * 784, 0))));
        write(dir.resolve("idx/digits-labels-idx1-ubyte.gz"), gzip(idxLabels(5, 6)));
        return images;
    }

    private Path png(String name, int w, int h, int type) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        ImageIO.write(new BufferedImage(w, h, type), "png", p.toFile());
        return p;
    }

    @Test
    void choosesTheReaderByContent() throws IOException {
        Dataset idx = Datasets.open(idx());
        assertInstanceOf(IdxDataset.class, idx);
        assertEquals(6, idx.get(1).label());

        Path renamed = Files.copy(idx(), dir.resolve("no-extension"));
        assertInstanceOf(IdxDataset.class, Datasets.open(renamed));

        Path csv = Files.writeString(dir.resolve("d.csv"), "4" + ",0".repeat(784) + "\n", StandardCharsets.UTF_8);
        assertInstanceOf(CsvDataset.class, Datasets.open(csv));

        Path image = png("one.png", 28, 28, BufferedImage.TYPE_BYTE_GRAY);
        Dataset single = Datasets.open(image);
        assertEquals(1, single.size());
        assertEquals(Shape.of(1, 1, 28, 28), single.get(0).shape());
        assertEquals(Shape.of(1, 3, 28, 28), Datasets.open(image, Shape.of(1, 3, 28, 28)).shape());

        png("folder/1/a.png", 4, 4, BufferedImage.TYPE_BYTE_GRAY);
        Dataset folder = Datasets.open(dir.resolve("folder"));
        assertEquals(1, folder.get(0).label());
    }

    @Test
    void expectedShapeIsChecked() {
        Path images = idx();
        assertEquals(Shape.of(1, 1, 28, 28), Datasets.open(images, Shape.of(1, 784)).shape());
        assertEquals(Shape.of(1, 1, 28, 28), Datasets.open(images, Shape.of(1, 28, 28)).shape());
        assertEquals("holds images of shape 1x1x28x28, the model expects 1x3x32x32",
                failure(images, () -> Datasets.open(images, Shape.of(1, 3, 32, 32))));
        assertEquals("holds images of shape 1x1x28x28, the model expects 1x28x1x28",
                failure(images, () -> Datasets.open(images, Shape.of(1, 28, 1, 28))));
    }

    @Test
    void unrecognisedAndWrongFiles() throws IOException {
        Path labels = dir.resolve("idx/digits-labels-idx1-ubyte.gz");
        idx();
        assertEquals("is an IDX labels file; open the images file beside it instead",
                failure(labels, () -> Datasets.open(labels)));
        Path text = Files.writeString(dir.resolve("notes.txt"), "hello");
        assertEquals("unrecognised data set: expected IDX images (optionally gzipped), a .csv file, a PNG, JPEG,"
                + " BMP or GIF image, or a folder of images", failure(text, () -> Datasets.open(text)));
        Path missing = dir.resolve("missing.gz");
        assertEquals("file not found", failure(missing, () -> Datasets.open(missing)));
    }
}
