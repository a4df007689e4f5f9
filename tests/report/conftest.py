import pytest


@pytest.fixture(autouse=True)
def close_figures():
    """Each report test's figures are freed after it (pyplot keeps them all otherwise)."""
    yield
    import matplotlib.pyplot as plt

    plt.close("all")
