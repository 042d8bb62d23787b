//! Comment analysis (being written).
