// The sim backend's public face: the factory, the scenario loader and the manual clock that
// tests use to run it in virtual time.

export { createSimBackend, SimBackend, SIM_DRIVER_VERSION, type SimBackendOptions } from './sim-backend';
export { loadScenario, parseScenario } from './scenario';
export type * from './scenario-types';
export { defaultScenario, DEFAULT_RECOVER_MS } from './default-scenario';
export { ManualClock, realClock, type Clock, type TimerHandle } from '../../clock';
export type { FaultOptions } from './faults';
export { DRIVER_NAMES, driverModel, type DriverModel } from './driver-models';
