"""Group challenges and group quizzes (GAM-D7). Imported at the end of models.py so Django finds them.

A challenge counts, per participant, the rows of its metric made in the group within its period (never a stored
counter); when it ends the sweep freezes each participant's count and rank (`final_count`, `rank`) as the result. A
quiz keeps its questions and options (the correct one never leaves the server before a submission) and one attempt per
member."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from .constants import ChallengeMetric, ChallengeStatus, QuizScoring, QuizStatus

USER = settings.AUTH_USER_MODEL


class Challenge(models.Model):
    group = models.ForeignKey("community.Group", on_delete=models.CASCADE, related_name="challenges")
    title = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    metric = models.CharField(max_length=20, choices=ChallengeMetric.choices)
    target = models.PositiveIntegerField()
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField(db_index=True)
    reward_points = models.PositiveIntegerField(default=0)
    badge = models.ForeignKey("community.Badge", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    status = models.CharField(max_length=10, choices=ChallengeStatus.choices, default=ChallengeStatus.OPEN)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["group", "status", "ends_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="community_challenge_period"),
        ]

    def __str__(self):
        return self.title


class ChallengeParticipant(models.Model):
    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    joined_at = models.DateTimeField(auto_now_add=True)
    # the result, written once when the challenge closes
    final_count = models.PositiveIntegerField(null=True, blank=True)
    rank = models.PositiveIntegerField(null=True, blank=True)
    completed = models.BooleanField(default=False)

    class Meta:
        ordering = ["joined_at", "id"]
        constraints = [models.UniqueConstraint(fields=["challenge", "user"], name="community_challenge_join_once")]
        indexes = [models.Index(fields=["challenge", "rank"])]


class GroupQuiz(models.Model):
    group = models.ForeignKey("community.Group", on_delete=models.CASCADE, related_name="quizzes")
    title = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    opens_at = models.DateTimeField()
    closes_at = models.DateTimeField(db_index=True)
    scoring = models.CharField(max_length=12, choices=QuizScoring.choices, default=QuizScoring.PER_CORRECT)
    points = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=10, choices=QuizStatus.choices, default=QuizStatus.DRAFT)
    created_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opens_at", "-id"]
        indexes = [models.Index(fields=["group", "status", "closes_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(closes_at__gt=F("opens_at")), name="community_quiz_period"),
        ]

    def __str__(self):
        return self.title


class QuizQuestion(models.Model):
    quiz = models.ForeignKey(GroupQuiz, on_delete=models.CASCADE, related_name="questions")
    text = models.CharField(max_length=500)
    explanation = models.TextField(blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]


class QuizOption(models.Model):
    question = models.ForeignKey(QuizQuestion, on_delete=models.CASCADE, related_name="options")
    text = models.CharField(max_length=200)
    is_correct = models.BooleanField(default=False)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]


class QuizAttempt(models.Model):
    quiz = models.ForeignKey(GroupQuiz, on_delete=models.CASCADE, related_name="attempts")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    answers = models.JSONField(default=dict)  # {question_id: option_id} as submitted (ids as text)
    correct = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    points = models.PositiveIntegerField(default=0)
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-correct", "submitted_at", "id"]
        constraints = [models.UniqueConstraint(fields=["quiz", "user"], name="community_quiz_once")]
        indexes = [models.Index(fields=["quiz", "-correct", "submitted_at"])]
