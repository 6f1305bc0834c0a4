from kit.migrations import run_env

from booking.adapters.orm import Base

run_env(Base.metadata)
