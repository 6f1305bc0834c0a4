from kit.migrations import run_env

from inquiry.adapters.orm import Base

run_env(Base.metadata)
