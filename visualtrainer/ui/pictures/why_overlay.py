"""A picture's explanation (app.insight.Explanation) drawn: the overlay of its pixels' contributions with the
regions of evidence for its class outlined, and a line with the sums."""

import numpy as np
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QCheckBox

OUTLINE = QColor(214, 39, 40)
WHY_TEXT = "Why this class?"
WHY_TIP = ("Tint each picture by what its pixels add to the logit of the class it got: orange for, blue against; "
           "the regions of evidence for it are outlined. Logistic regression: exactly w_i·x_i; deeper networks: "
           "gradient × input.")


def why_box():
    box = QCheckBox(WHY_TEXT)
    box.setToolTip(WHY_TIP)
    return box


def explained_pixmap(explanation, size):
    """The overlay at ``size`` pixels (its own pixels, unsmoothed) with its regions outlined."""
    pixels = np.ascontiguousarray(explanation.overlay)
    image = QImage(pixels.data, pixels.shape[1], pixels.shape[0], 3 * pixels.shape[1], QImage.Format_RGB888).copy()
    pixmap = QPixmap.fromImage(image).scaled(size, size, Qt.KeepAspectRatio, Qt.FastTransformation)
    h, w = explanation.overlay.shape[:2]
    sx, sy = pixmap.width() / w, pixmap.height() / h
    painter = QPainter(pixmap)
    painter.setPen(QPen(OUTLINE, 2))
    for top, left, bottom, right, _ in explanation.regions:
        painter.drawRect(QRectF(left * sx, top * sy, (right - left) * sx, (bottom - top) * sy))
    painter.end()
    return pixmap


def caption(explanation):
    """'for +3.21 · against −2.10 · b −0.40 = z +0.71': the sums of the contributions towards the predicted class
    (≈ for gradient × input, whose sum is a first-order share of z)."""
    sign = "=" if explanation.exact else "≈"
    return (f"<span style='color:#d46a00'>for {explanation.evidence_for:+.2f}</span> · "
            f"<span style='color:#1f77b4'>against {explanation.evidence_against:+.2f}</span> · "
            f"b {explanation.bias:+.2f} {sign} z {explanation.logit:+.2f}")


def tooltip(explanation):
    how = ("z = Σ w_i·x_i + b: the contributions w_i·x_i add up to z − b exactly" if explanation.exact
           else "gradient × input, x_i·∂z/∂x_i: a first-order share of z")
    return f"{how}. Outlined: where the evidence for the class gathers most."

