// WebApplicationFactory finds the host that Program builds through a process-wide diagnostic
// listener; two factories starting at the same moment can catch each other's host. One browser
// at a time also keeps the run light on a shared machine.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
