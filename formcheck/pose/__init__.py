"""Pose estimation: the one place that imports MediaPipe.

``formcheck.pose.detector.PoseDetector`` turns images into `PoseFrame`s;
``formcheck.pose.model`` finds and loads the model bundle;
``formcheck.pose.selection`` keeps one person from frame to frame (numpy only).
This package does not import MediaPipe on import, so that its numpy-only parts stay cheap.
"""
