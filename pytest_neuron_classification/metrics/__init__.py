"""Measurements over time: metric baselines per environment, the history of runs, and the gate.

The metric model itself is in :mod:`..core.metric`, since every test record carries it.
"""
