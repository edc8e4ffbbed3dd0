package io.obops.chat.discord;

import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Optional;
import javax.imageio.ImageIO;

/**
 * A smaller rendering of a PNG that Discord refused as too large (413, code 40005): the same image
 * at half the width and height (a quarter of the pixels), as often as needed to fit, at least 64
 * pixels wide. Headless (no display needed).
 */
final class SmallerPng {

  private SmallerPng() {}

  /** The image at half size, or empty if it is not a readable image or already tiny. */
  static Optional<byte[]> halve(byte[] png) {
    try {
      BufferedImage in = ImageIO.read(new ByteArrayInputStream(png));
      if (in == null || in.getWidth() < 128) {
        return Optional.empty();
      }
      int w = in.getWidth() / 2;
      int h = Math.max(1, in.getHeight() / 2);
      BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
      var g = out.createGraphics();
      try {
        g.setRenderingHint(
            RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(in, 0, 0, w, h, null);
      } finally {
        g.dispose();
      }
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      ImageIO.write(out, "png", bytes);
      return Optional.of(bytes.toByteArray());
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
