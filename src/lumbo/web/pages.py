"""Placeholder (owned by another helper, who will replace this file)."""

from fastapi import APIRouter

router = APIRouter()
